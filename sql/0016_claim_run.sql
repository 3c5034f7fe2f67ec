-- Claims one queued run by id (the run_id a pg_net POST carries) and answers the run row, so the
-- claimer runs it as it was queued (its providers, force and dry_run), not as a default run.
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

revoke execute on function public.sync_claim_run(uuid, text) from public, anon, authenticated;
grant execute on function public.sync_claim_run(uuid, text) to service_role;
