-- Settings of the scheduled sync, in one row: the pg_cron schedule, where pg_net POSTs, which Vault
-- secret holds the service-role key, and the catalog's maximum age for apps' needs_sync.
-- Kept out of the exposed `public` schema (PostgREST does not serve it); change it through
-- public.sync_schedule() and public.sync_configure_http() (sql/0013), not by editing SQL.
--
-- The first install takes the schedule from the setting `sync_ai_models.cron_schedule` when it is
-- set (e.g. `alter database ... set sync_ai_models.cron_schedule = '0 */6 * * *'`, or
-- `options=-csync_ai_models.cron_schedule=...` on the connection that migrates), else daily 03:00 UTC;
-- 'off' installs no job.

create schema if not exists sync_ai_models;
revoke all on schema sync_ai_models from public;

create table if not exists sync_ai_models.settings (
  id boolean primary key default true check (id),  -- exactly one row
  cron_schedule text default '0 3 * * *'            -- null: not scheduled
    check (cron_schedule is null or length(btrim(cron_schedule)) between 1 and 100),
  function_url text                                 -- null: no HTTP call, a worker claims the run
    check (function_url is null or function_url ~ '^https?://'),
  vault_secret_name text not null default 'service_role_key',
  http_timeout_ms integer not null default 5000 check (http_timeout_ms between 100 and 300000),
  max_age_days integer not null default 30 check (max_age_days > 0),
  updated_at timestamptz not null default now()
);

alter table sync_ai_models.settings enable row level security;

drop policy if exists "Service role can read sync settings" on sync_ai_models.settings;
create policy "Service role can read sync settings"
  on sync_ai_models.settings for select to service_role using (true);

-- nothing here is secret (the key itself stays in Vault); writes go through the functions of 0013
grant usage on schema sync_ai_models to service_role;
revoke all on table sync_ai_models.settings from public, anon, authenticated, service_role;
grant select on table sync_ai_models.settings to service_role;

insert into sync_ai_models.settings (id, cron_schedule)
select true, case when lower(seed) = 'off' then null else coalesce(seed, '0 3 * * *') end
from (select nullif(btrim(current_setting('sync_ai_models.cron_schedule', true)), '') as seed) s
on conflict (id) do nothing;
