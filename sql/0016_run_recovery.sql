-- Runs are never left 'running': a run 'running' longer than a maximum age whose owner holds no
-- lock (a killed `serve` or CLI, a worker that died) is failed, with the reason, by whoever next
-- starts, claims or reads runs (the store calls this first), so recovery needs no worker.
-- A worker holds its run's lock (sync_run_lock_key, 0014) for the whole run: such a run is left
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

-- As in 0008, and a provider result 'lock_timeout' (its rows were locked by someone else past
-- the lock timeout) counts as failed.
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
                             'overrides_kept', 'caps_clamped']) f),
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

revoke execute on function public.sync_fail_stale_runs(numeric) from public, anon, authenticated;
grant execute on function public.sync_fail_stale_runs(numeric) to service_role;
