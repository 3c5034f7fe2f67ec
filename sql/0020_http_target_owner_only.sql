-- Where the pg_cron job POSTs, and which Vault secret it sends there, are the database owner's
-- choice alone. The job runs as the owner, who may read Vault: a role that could set the URL or
-- the secret name could have any stored secret POSTed to any host. So sync_configure_http is no
-- longer security definer nor granted to service_role; it writes the settings row with the
-- caller's own rights, which only the owner (or a superuser) has.
--
--   select public.sync_configure_http('https://<ref>.supabase.co/functions/v1/sync-ai-models');
--
-- (run as the role that applied the migrations, e.g. `postgres` in Supabase's SQL editor)

create or replace function public.sync_configure_http(
  p_function_url text,
  p_vault_secret_name text default 'service_role_key',
  p_timeout_milliseconds integer default 5000
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  cfg jsonb;
begin
  if not pg_has_role(current_user,
                     (select c.relowner from pg_catalog.pg_class c
                       where c.oid = 'sync_ai_models.settings'::regclass), 'usage') then
    raise exception 'only the owner of sync_ai_models.settings may choose where the scheduled '
                    'sync POSTs and which Vault secret it sends; % may not', current_user
      using errcode = 'insufficient_privilege';
  end if;
  if coalesce(btrim(p_vault_secret_name), '') = '' then
    raise exception 'the Vault secret name must not be empty' using errcode = 'invalid_parameter_value';
  end if;
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

revoke execute on function public.sync_configure_http(text, text, integer)
  from public, anon, authenticated, service_role;
