-- The run lifecycle in one place, each function in its final form: start a run, queue one, claim
-- it (by id, or the oldest queued), finish it, retry it, and recover runs whose process died.
-- Earlier files (0008, 0014) created most of these; they stay as released, and this file replaces
-- their functions (the run totals now also count `stale`, a provider's `lock_timeout` counts as
-- failed) and adds sync_fail_stale_runs: a run 'running' longer than its maximum age whose owner
-- holds no lock is failed by whoever next starts, claims or reads runs, with no worker needed.
--
-- A worker holds a session advisory lock on sync_run_lock_key(run) from the claim until the run
-- is finished (it takes it in the claim's transaction). The lock goes when its connection goes,
-- so a run still 'running' whose lock nobody holds has lost its worker.

-- The advisory lock key a worker holds while it runs a run.
create or replace function public.sync_run_lock_key(p_run_id uuid)
returns bigint
language sql
immutable
security invoker
set search_path = ''
as $$
  select hashtextextended('sync-ai-models:run:' || p_run_id::text, 0)
$$;

-- Starts a run at once (HTTP, CLI): status 'running'. (The status a caller sees: 0015.)
create or replace function public.sync_start_run(
  p_trigger text,
  p_requested_by text default null,
  p_providers text[] default null,
  p_dry_run boolean default false,
  p_force boolean default false
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
  run uuid;
begin
  insert into public.ai_sync_runs (trigger, requested_by, status, providers, dry_run, force, started_at)
  values (p_trigger, p_requested_by, 'running', p_providers, p_dry_run, p_force, now())
  returning id into run;
  return run;
end
$$;

-- Queues a run for whoever claims it first (a worker, or the function a pg_net POST reaches)
-- and NOTIFYs channel ai_sync_runs.
create or replace function public.sync_queue_run(
  p_trigger text,
  p_requested_by text default null,
  p_providers text[] default null,
  p_force boolean default false
)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
  run uuid;
begin
  insert into public.ai_sync_runs (trigger, requested_by, status, providers, force)
  values (p_trigger, p_requested_by, 'queued', p_providers, p_force)
  returning id into run;
  perform pg_notify('ai_sync_runs', run::text);
  return run;
end
$$;

-- Claims one queued run by id (the run_id a pg_net POST carries) and answers the run row, so the
-- claimer runs it as it was queued (its providers, force and dry_run): exactly one claimer wins.
create or replace function public.sync_claim_run(p_run_id uuid, p_claimed_by text default null)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  claimed jsonb;
begin
  update public.ai_sync_runs
     set status = 'running', started_at = now(), claimed_by = coalesce(p_claimed_by, claimed_by)
   where id = p_run_id and status = 'queued'
  returning to_jsonb(ai_sync_runs.*) into claimed;
  if claimed is null then
    if exists (select 1 from public.ai_sync_runs where id = p_run_id) then
      raise exception 'already running: run % is not queued any more', p_run_id
        using errcode = 'lock_not_available';
    end if;
    raise exception 'run % does not exist', p_run_id using errcode = 'no_data_found';
  end if;
  return claimed;
end
$$;

-- Claims the oldest queued run and starts it in one step (status 'running', started_at,
-- claimed_by); concurrent workers skip each other's rows. Answers the run, or null when the
-- queue is empty.
create or replace function public.sync_claim_next_run(p_worker text)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  claimed jsonb;
begin
  if coalesce(btrim(p_worker), '') = '' then
    raise exception 'a worker must name itself to claim a run' using errcode = 'invalid_parameter_value';
  end if;
  with next_run as (
    select id from public.ai_sync_runs
     where status = 'queued'
     order by queued_at, id
     limit 1
       for update skip locked
  )
  update public.ai_sync_runs r
     set status = 'running', started_at = now(), claimed_by = p_worker
    from next_run
   where r.id = next_run.id
  returning jsonb_build_object('id', r.id, 'trigger', r.trigger, 'requested_by', r.requested_by,
                               'providers', r.providers, 'dry_run', r.dry_run, 'force', r.force)
    into claimed;
  return claimed;
end
$$;

-- Queues a fresh copy of a run (same providers, dry_run, force): for a run that was failed by
-- recovery or cut short by a worker's shutdown. Answers the new run's id.
create or replace function public.sync_retry_run(p_run_id uuid, p_requested_by text default null)
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
  fresh uuid;
begin
  insert into public.ai_sync_runs (trigger, requested_by, status, providers, dry_run, force)
  select 'worker', coalesce(p_requested_by, 'retry of ' || r.id), 'queued', r.providers,
         r.dry_run, r.force
    from public.ai_sync_runs r
   where r.id = p_run_id
  returning id into fresh;
  if fresh is null then
    raise exception 'run % does not exist', p_run_id using errcode = 'no_data_found';
  end if;
  perform pg_notify('ai_sync_runs', fresh::text);
  return fresh;
end
$$;

-- Fails every run that has been 'running' longer than p_stuck_after while no worker holds its lock
-- (its worker died, or the process that started it did), and queues a fresh one for each.
-- Runs started outside a worker (HTTP, CLI) hold no lock: for them only the age counts, so keep
-- p_stuck_after well above the longest run. Answers [{"failed": id, "queued": id}, ...].
create or replace function public.sync_recover_runs(p_stuck_after interval default '15 minutes')
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  stuck record;
  fresh uuid;
  recovered jsonb := '[]'::jsonb;
begin
  if p_stuck_after is null or p_stuck_after < interval '0' then
    raise exception 'stuck_after must be a non-negative interval, got %', p_stuck_after
      using errcode = 'invalid_parameter_value';
  end if;
  for stuck in
    select id, started_at, claimed_by from public.ai_sync_runs
     where status = 'running' and started_at < now() - p_stuck_after
     order by started_at
       for update skip locked
  loop
    -- a live worker still holds it: leave it alone
    continue when not pg_try_advisory_xact_lock(public.sync_run_lock_key(stuck.id));
    fresh := public.sync_retry_run(stuck.id, 'recovery of ' || stuck.id);
    update public.ai_sync_runs
       set status = 'failed', finished_at = now(),
           error = format('abandoned: running since %s (claimed by %s) with no live worker; '
                          'retried as run %s', stuck.started_at, coalesce(stuck.claimed_by, '?'),
                          fresh)
     where id = stuck.id;
    recovered := recovered || jsonb_build_array(jsonb_build_object('failed', stuck.id,
                                                                   'queued', fresh));
  end loop;
  return recovered;
end
$$;

-- Runs are never left 'running': a run 'running' longer than a maximum age whose owner holds no
-- lock (a killed `serve` or CLI, a worker that died) is failed, with the reason, by whoever next
-- starts, claims or reads runs (the store calls this first), so recovery needs no worker.
-- A worker holds its run's lock (sync_run_lock_key, above) for the whole run: such a run is left
-- alone however old it is. Unlike sync_recover_runs (the worker's), nothing is queued again.
-- Answers the ids of the runs failed, as a JSON array.
create or replace function public.sync_fail_stale_runs(p_max_seconds numeric default 900)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  stale record;
  failed jsonb := '[]'::jsonb;
begin
  if p_max_seconds is null or p_max_seconds < 0 then
    raise exception 'max seconds must be a non-negative number, got %', p_max_seconds
      using errcode = 'invalid_parameter_value';
  end if;
  for stale in
    select id, started_at, trigger, coalesce(claimed_by, requested_by) as owner
      from public.ai_sync_runs
     where status = 'running' and started_at < now() - make_interval(secs => p_max_seconds)
     order by started_at
       for update skip locked
  loop
    continue when not pg_try_advisory_xact_lock(public.sync_run_lock_key(stale.id));
    update public.ai_sync_runs
       set status = 'failed', finished_at = now(),
           error = format('abandoned: running since %s (trigger %s, by %s), longer than %s s, '
                          'and its process is gone', stale.started_at, stale.trigger,
                          coalesce(stale.owner, '?'), p_max_seconds)
     where id = stale.id;
    failed := failed || to_jsonb(stale.id);
  end loop;
  return failed;
end
$$;

-- Finishes a run with its per-provider results: 'failed' when every attempted provider failed
-- (or the run itself did), 'partial' when some did. A provider result 'lock_timeout' (its rows
-- were locked by someone else past the lock timeout) counts as failed.
create or replace function public.sync_finish_run(
  p_run_id uuid,
  p_results jsonb,
  p_error text default null
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  failed int;
  counted int;
  row_json jsonb;
begin
  if jsonb_typeof(p_results) is distinct from 'array' then
    raise exception 'results must be a JSON array' using errcode = 'invalid_parameter_value';
  end if;
  select count(*) filter (where r ->> 'status' in ('failed', 'already_running', 'lock_timeout')),
         count(*) filter (where r ->> 'status' <> 'skipped')
    into failed, counted
    from jsonb_array_elements(p_results) r;

  update public.ai_sync_runs
     set status = case
                    when p_error is not null or (counted > 0 and failed = counted) then 'failed'
                    when failed > 0 then 'partial'
                    else 'succeeded'
                  end,
         finished_at = now(),
         results = p_results,
         error = p_error,
         totals = (
           select jsonb_object_agg(f, (select coalesce(sum((r ->> f)::int), 0)
                                         from jsonb_array_elements(p_results) r))
           from unnest(array['inserted', 'updated', 'unchanged', 'deactivated', 'reactivated',
                             'overrides_kept', 'caps_clamped', 'stale']) f),
         new_model_ids = (
           select coalesce(array_agg((r ->> 'provider') || '/' || new_id.value), '{}')
           from jsonb_array_elements(p_results) r,
                jsonb_array_elements_text(coalesce(r -> 'new_model_ids', '[]'::jsonb)) new_id)
   where ai_sync_runs.id = p_run_id and ai_sync_runs.status = 'running'
  returning to_jsonb(ai_sync_runs.*) into row_json;
  if row_json is null then
    raise exception 'run % is not running', p_run_id using errcode = 'no_data_found';
  end if;
  return row_json;
end
$$;

revoke execute on function public.sync_run_lock_key(uuid) from public, anon, authenticated;
revoke execute on function public.sync_start_run(text, text, text[], boolean, boolean)
  from public, anon, authenticated;
revoke execute on function public.sync_queue_run(text, text, text[], boolean)
  from public, anon, authenticated;
revoke execute on function public.sync_claim_run(uuid, text) from public, anon, authenticated;
revoke execute on function public.sync_claim_next_run(text) from public, anon, authenticated;
revoke execute on function public.sync_retry_run(uuid, text) from public, anon, authenticated;
revoke execute on function public.sync_recover_runs(interval) from public, anon, authenticated;
revoke execute on function public.sync_fail_stale_runs(numeric) from public, anon, authenticated;
revoke execute on function public.sync_finish_run(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function public.sync_run_lock_key(uuid) to service_role;
grant execute on function public.sync_start_run(text, text, text[], boolean, boolean)
  to service_role;
grant execute on function public.sync_queue_run(text, text, text[], boolean) to service_role;
grant execute on function public.sync_claim_run(uuid, text) to service_role;
grant execute on function public.sync_claim_next_run(text) to service_role;
grant execute on function public.sync_retry_run(uuid, text) to service_role;
grant execute on function public.sync_recover_runs(interval) to service_role;
grant execute on function public.sync_fail_stale_runs(numeric) to service_role;
grant execute on function public.sync_finish_run(uuid, jsonb, text) to service_role;
