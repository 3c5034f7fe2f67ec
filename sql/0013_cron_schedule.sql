-- The pg_cron job `sync-ai-models`, where pg_cron exists: created (or moved) from the stored
-- schedule. Where it does not (plain Postgres without pg_cron, the embedded pgserver, a database
-- other than cron.database_name) this says so in a notice and schedules nothing; run a worker
-- under a system scheduler instead (README, Scheduling and history).
--
--   select public.sync_schedule('0 */6 * * *');   -- move the job (any pg_cron schedule)
--   select public.sync_schedule('off');           -- remove the job
--   select public.sync_schedule();                -- (re)create it from the stored schedule,
--                                                 -- e.g. after installing pg_cron later
--   select public.sync_configure_http('https://<ref>.supabase.co/functions/v1/sync-ai-models');
--
-- cron.* is referenced only after checking that the extension exists, through dynamic SQL, so
-- this file compiles and runs where pg_cron is missing.

-- Where pg_cron is available and this is its database, create the extension (on Supabase the
-- dashboard or this does it; elsewhere creating it may be refused: then it is a notice, not an error).
do $$
begin
  if not exists (select 1 from pg_extension where extname = 'pg_cron')
     and exists (select 1 from pg_available_extensions where name = 'pg_cron')
     and current_setting('cron.database_name', true) = current_database() then
    create extension if not exists pg_cron;
  end if;
exception when others then
  raise notice 'sync-ai-models: pg_cron could not be created in database %: %',
    current_database(), sqlerrm;
end
$$;

-- security definer: creating, moving or removing a pg_cron job needs privileges on schema cron
-- that service_role does not have, and the job must run as the owner (who may read Vault).
-- It touches only the job named 'sync-ai-models' and its command is fixed; search_path is empty.
create or replace function public.sync_apply_schedule()
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  job_name constant text := 'sync-ai-models';
  job_command constant text := 'select public.sync_cron_run()';
  wanted text;
  job_id bigint;
begin
  select cron_schedule into wanted from sync_ai_models.settings where id;
  if not exists (select 1 from pg_extension where extname = 'pg_cron')
     or to_regprocedure('cron.schedule(text, text, text)') is null then
    raise notice 'sync-ai-models: pg_cron is not installed in database %; nothing scheduled '
                 '(run `sync-ai-models worker` under a system scheduler, see README, Scheduling and history)',
      current_database();
    return jsonb_build_object('scheduled', false, 'schedule', wanted,
                              'reason', 'pg_cron is not installed in this database');
  end if;

  if wanted is null then
    execute 'select jobid from cron.job where jobname = $1 and username = current_user'
      into job_id using job_name;
    if job_id is not null then
      execute 'select cron.unschedule($1)' using job_id;
    end if;
    return jsonb_build_object('scheduled', false, 'schedule', null, 'reason', 'turned off');
  end if;
  -- same name: pg_cron moves the existing job instead of adding a second one
  execute 'select cron.schedule($1, $2, $3)' into job_id using job_name, wanted, job_command;
  return jsonb_build_object('scheduled', true, 'schedule', wanted, 'job_id', job_id);
end
$$;

-- security definer: writes the settings row, which only the owner may write (see above)
create or replace function public.sync_schedule(p_cron text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_cron is not null then
    if btrim(p_cron) = '' then
      raise exception 'schedule must be a pg_cron schedule such as ''0 3 * * *'' or ''off'''
        using errcode = 'invalid_parameter_value';
    end if;
    update sync_ai_models.settings
       set cron_schedule = case when lower(btrim(p_cron)) = 'off' then null else btrim(p_cron) end,
           updated_at = now()
     where id;
  end if;
  return public.sync_apply_schedule();
end
$$;

-- security definer: writes the settings row, which only the owner may write (see above)
create or replace function public.sync_configure_http(
  p_function_url text,
  p_vault_secret_name text default 'service_role_key',
  p_timeout_milliseconds integer default 5000
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  cfg jsonb;
begin
  update sync_ai_models.settings
     set function_url = nullif(btrim(p_function_url), ''),
         vault_secret_name = p_vault_secret_name,
         http_timeout_ms = p_timeout_milliseconds,
         updated_at = now()
   where id
  returning jsonb_build_object('function_url', function_url,
                               'vault_secret_name', vault_secret_name,
                               'http_timeout_ms', http_timeout_ms,
                               'pg_net', to_regprocedure(
                                 'net.http_post(text, jsonb, jsonb, jsonb, integer)') is not null)
    into cfg;
  return cfg;
end
$$;

revoke execute on function public.sync_apply_schedule() from public, anon, authenticated;
revoke execute on function public.sync_schedule(text) from public, anon, authenticated;
revoke execute on function public.sync_configure_http(text, text, integer)
  from public, anon, authenticated;
grant execute on function public.sync_apply_schedule() to service_role;
grant execute on function public.sync_schedule(text) to service_role;
grant execute on function public.sync_configure_http(text, text, integer) to service_role;

select public.sync_apply_schedule();
