-- The queue side of ai_sync_runs for workers (`sync-ai-models worker`): claim the oldest queued
-- run, retry a run as a fresh queued one, and recover runs whose worker died.
--
-- A worker holds a session advisory lock on sync_run_lock_key(run) from the claim until the run
-- is finished (it takes it in the claim's transaction). The lock goes when its connection goes,
-- so a run still 'running' whose lock nobody holds has lost its worker.

create or replace function public.sync_run_lock_key(p_run_id uuid)
returns bigint
language sql
immutable
security invoker
set search_path = ''
as $$
  select hashtextextended('sync-ai-models:run:' || p_run_id::text, 0)
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

revoke execute on function public.sync_run_lock_key(uuid) from public, anon, authenticated;
revoke execute on function public.sync_claim_next_run(text) from public, anon, authenticated;
revoke execute on function public.sync_retry_run(uuid, text) from public, anon, authenticated;
revoke execute on function public.sync_recover_runs(interval) from public, anon, authenticated;
grant execute on function public.sync_run_lock_key(uuid) to service_role;
grant execute on function public.sync_claim_next_run(text) to service_role;
grant execute on function public.sync_retry_run(uuid, text) to service_role;
grant execute on function public.sync_recover_runs(interval) to service_role;
