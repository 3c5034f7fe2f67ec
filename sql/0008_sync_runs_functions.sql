-- Start, claim, queue and finish runs. (The status a caller sees is in 0015_app_status.sql.)

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
  select count(*) filter (where r ->> 'status' in ('failed', 'already_running')),
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

revoke execute on function public.sync_start_run(text, text, text[], boolean, boolean)
  from public, anon, authenticated;
revoke execute on function public.sync_claim_run(uuid, text) from public, anon, authenticated;
revoke execute on function public.sync_queue_run(text, text, text[], boolean)
  from public, anon, authenticated;
revoke execute on function public.sync_finish_run(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function public.sync_start_run(text, text, text[], boolean, boolean)
  to service_role;
grant execute on function public.sync_claim_run(uuid, text) to service_role;
grant execute on function public.sync_queue_run(text, text, text[], boolean) to service_role;
grant execute on function public.sync_finish_run(uuid, jsonb, text) to service_role;
