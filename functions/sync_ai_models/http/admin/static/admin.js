// Follows a running sync: polls the run's progress JSON and fills the vendor table; when the run
// is over, reloads the page, which then shows the stored result.
(function () {
  "use strict";
  var progress = document.getElementById("progress");
  if (!progress) return;
  var table = document.querySelector("#vendor-results tbody");
  var url = progress.getAttribute("data-url");

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (className) td.className = className;
    return td;
  }

  function counts(result) {
    var skip = ["provider", "status", "error", "listed", "seconds", "new_model_ids"];
    return Object.keys(result)
      .filter(function (k) { return skip.indexOf(k) < 0 && result[k]; })
      .map(function (k) { return k.replace(/_/g, " ") + " " + result[k]; })
      .join(", ");
  }

  function show(body) {
    table.textContent = "";
    body.providers.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-provider", r.provider);
      tr.appendChild(cell(r.provider));
      tr.appendChild(cell(String(r.status).replace(/_/g, " "), "status status-" + r.status));
      tr.appendChild(cell(r.listed, "num"));
      tr.appendChild(cell(counts(r), "counts"));
      tr.appendChild(cell(r.seconds, "num"));
      tr.appendChild(cell(r.error, "error"));
      table.appendChild(tr);
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        show(body);
        if (body.finished) {
          progress.textContent = "Finished: " + body.status + ".";
          window.location.reload();
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function (error) {
        progress.textContent = "Lost track of the run (" + error.message + "); retrying…";
        window.setTimeout(poll, 2000);
      });
  }

  poll();
})();
