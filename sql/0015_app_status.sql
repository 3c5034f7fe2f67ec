-- Status for apps (a "new models available" badge): the last run, needs_sync, and the models
-- the last successful run added that users can pick (active and enabled).
--
-- Why a security definer function behind a security_invoker view: `authenticated` must not read
-- ai_sync_runs (its rows carry errors, callers and per-provider results). A policy plus column
-- grants would still let it query the table directly; instead this function answers one row of
-- fixed, non-secret fields, takes nothing from the caller but a number, and has an empty
-- search_path. It lives in the unexposed schema sync_ai_models (PostgREST does not serve it as an
-- RPC); the view in public is security_invoker, so it adds no rights of its own.

create schema if not exists sync_ai_models;
grant usage on schema sync_ai_models to authenticated, service_role;

create or replace function sync_ai_models.app_status(p_max_age_days integer default null)
returns table (
  last_run_at timestamptz,
  last_run_status text,
  last_success_at timestamptz,
  running boolean,
  needs_sync boolean,
  max_age_days integer,
  new_models_at timestamptz,
  new_model_count integer,
  new_models jsonb
)
language sql
stable
security definer
set search_path = ''
as $$
  with cfg as (
    select coalesce(p_max_age_days, (select s.max_age_days from sync_ai_models.settings s where s.id),
                    30) as max_age_days
  ),
  last_run as (
    select r.finished_at, r.status from public.ai_sync_runs r
     where r.finished_at is not null and not r.dry_run
     order by r.finished_at desc limit 1
  ),
  last_success as (
    select r.finished_at, r.new_model_ids from public.ai_sync_runs r
     where r.status in ('succeeded', 'partial') and not r.dry_run
     order by r.finished_at desc limit 1
  ),
  added as (
    select p.provider, p.api_identifier, p.name
      from last_success l
      join public.ai_providers p on p.provider || '/' || p.api_identifier = any (l.new_model_ids)
     where p.is_active and p.is_enabled
  )
  select (select finished_at from last_run),
         (select status from last_run),
         (select finished_at from last_success),
         exists (select 1 from public.ai_sync_runs r where r.status = 'running'),
         coalesce((select finished_at from last_success)
                  < now() - make_interval(days => cfg.max_age_days), true),
         cfg.max_age_days,
         (select finished_at from last_success),
         (select count(*)::integer from added),
         coalesce((select jsonb_agg(jsonb_build_object('provider', a.provider,
                                                       'api_identifier', a.api_identifier,
                                                       'name', a.name)
                                    order by a.provider, a.api_identifier)
                     from added a), '[]'::jsonb)
    from cfg
$$;

revoke execute on function sync_ai_models.app_status(integer) from public, anon;
grant execute on function sync_ai_models.app_status(integer) to authenticated, service_role;

create or replace view public.ai_sync_app_status
with (security_invoker = true) as
select * from sync_ai_models.app_status();

comment on view public.ai_sync_app_status is
  'Last sync run, needs_sync and the models new since the previous run, for apps (no secrets).';

revoke all on public.ai_sync_app_status from public, anon, authenticated, service_role;
grant select on public.ai_sync_app_status to authenticated, service_role;

-- The service-role status (HTTP GET, `sync-ai-models status`): last run, needs_sync, and the same
-- new models as the apps' view.
create or replace function public.sync_status(p_max_age_days integer default 30)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  with last_run as (
    select * from public.ai_sync_runs
     where finished_at is not null and not dry_run
     order by finished_at desc limit 1
  ),
  last_success as (
    select max(finished_at) as at from public.ai_sync_runs
     where status in ('succeeded', 'partial') and not dry_run
  ),
  app as (
    select * from sync_ai_models.app_status(p_max_age_days)
  )
  select jsonb_build_object(
    'last_run', (select to_jsonb(l) - 'results' from last_run l),
    'last_success_at', (select at from last_success),
    'running', (select count(*) from public.ai_sync_runs where status = 'running'),
    'queued', (select count(*) from public.ai_sync_runs where status = 'queued'),
    'needs_sync', coalesce((select at from last_success)
                           < now() - make_interval(days => p_max_age_days), true),
    'max_age_days', p_max_age_days,
    'new_models', (select new_models from app),
    'new_model_count', (select new_model_count from app),
    'new_models_at', (select new_models_at from app))
$$;

create or replace view public.ai_sync_status
with (security_invoker = true) as
select public.sync_status() as status;

revoke execute on function public.sync_status(integer) from public, anon, authenticated;
grant execute on function public.sync_status(integer) to service_role;
revoke all on public.ai_sync_status from public, anon, authenticated;
grant select on public.ai_sync_status to service_role;
