-- What the pg_cron job runs: queue a run (trigger 'cron'; sync_queue_run NOTIFYs the workers on
-- channel ai_sync_runs) and, where pg_net exists and a function URL is configured, POST
-- {"run_id": ...} to the function with the service-role key from Supabase Vault. The function
-- claims that queued run (sync_claim_run), so the run happens once, whoever claims it first.
--
-- net.* and vault.* exist only on Supabase (or where pg_net / supabase_vault are installed): every
-- reference is checked for existence first and run as dynamic SQL, so this compiles and runs on
-- plain Postgres too. Failing to POST never loses the run: it stays queued for a worker (or for
-- the next tick, which POSTs it again instead of queueing another).
--
-- sync_can_use checks the schema before anything in it: for a role without usage on schema net
-- or vault (service_role on Supabase, say) to_regprocedure/to_regclass raise "permission denied
-- for schema" instead of answering null.

create or replace function public.sync_can_use(
  p_schema text,
  p_function text default null,
  p_relation text default null
)
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
  select to_regnamespace(p_schema) is not null
     and has_schema_privilege(to_regnamespace(p_schema), 'usage')
     and (p_function is null or to_regprocedure(p_function) is not null)
     and (p_relation is null or to_regclass(p_relation) is not null)
$$;

revoke execute on function public.sync_can_use(text, text, text) from public, anon, authenticated;
grant execute on function public.sync_can_use(text, text, text) to service_role;

create or replace function public.sync_cron_run()
returns uuid
language plpgsql
security invoker
set search_path = ''
as $$
declare
  run uuid;
  cfg sync_ai_models.settings;
  service_key text;
  request_id bigint;
begin
  -- a cron run still waiting (no worker, or its POST failed): take it again, don't pile up
  select id into run from public.ai_sync_runs
   where status = 'queued' and trigger = 'cron'
   order by queued_at limit 1;
  if run is null then
    run := public.sync_queue_run('cron', 'pg_cron');
  else
    perform pg_notify('ai_sync_runs', run::text);
  end if;

  select * into cfg from sync_ai_models.settings where id;
  if cfg.function_url is null then
    return run;  -- a worker claims it
  end if;
  if not public.sync_can_use('net', 'net.http_post(text, jsonb, jsonb, jsonb, integer)') then
    raise notice 'sync-ai-models: function_url is set but pg_net is not installed (or % may not '
                 'use it); run % waits for a worker', current_user, run;
    return run;
  end if;
  if not public.sync_can_use('vault', null, 'vault.decrypted_secrets') then
    raise warning 'sync-ai-models: Supabase Vault is not installed or % may not use it; '
                  'run % waits for a worker', current_user, run;
    return run;
  end if;
  begin
    execute 'select decrypted_secret from vault.decrypted_secrets where name = $1 limit 1'
      into service_key using cfg.vault_secret_name;
  exception when insufficient_privilege then
    raise warning 'sync-ai-models: % may not read Vault; run % waits for a worker', current_user, run;
    return run;
  end;
  if service_key is null then
    raise warning 'sync-ai-models: no Vault secret named %; run % waits for a worker',
      cfg.vault_secret_name, run;
    return run;
  end if;

  -- pg_net sends after commit, asynchronously; the answer lands in net._http_response
  execute 'select net.http_post(url := $1, body := $2, params := $3, headers := $4,'
          ' timeout_milliseconds := $5)'
    into request_id
    using cfg.function_url, jsonb_build_object('run_id', run), '{}'::jsonb,
          jsonb_build_object('Content-Type', 'application/json',
                             'Authorization', 'Bearer ' || service_key),
          cfg.http_timeout_ms;
  raise log 'sync-ai-models: run % posted to the function (pg_net request %)', run, request_id;
  return run;
end
$$;

revoke execute on function public.sync_cron_run() from public, anon, authenticated;
grant execute on function public.sync_cron_run() to service_role;
