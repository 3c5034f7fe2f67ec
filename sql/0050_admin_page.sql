-- What the admin page reads and writes: the catalog with its flags, one model with its overrides
-- and change log, the run history, and the few edits an operator makes. Each function is for the
-- service role only (the page signs in with the service-role key); all are security invoker, so
-- they add no rights of their own.

-- The flags the catalog table filters on, for one row. A field is hand-edited when its value
-- differs from what the last sync wrote (the same rule the sync's three-way merge uses).
create or replace function public.admin_model_flags(p_row public.ai_providers)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'priced', jsonb_typeof(p_row.config -> 'input_token_cost_rate') = 'number'
              or jsonb_typeof(p_row.config -> 'output_token_cost_rate') = 'number',
    'overridden_fields', coalesce((
      select jsonb_agg(d.field order by d.field)
        from public.ai_jsonb_diff_fields(p_row.sync_baseline, p_row.config) d
       where p_row.sync_baseline is not null), '[]'::jsonb),
    -- vendors say "deprecated" in their own words: these raw-entry keys (and our own config keys)
    'deprecated', coalesce((p_row.config ->> 'deprecated')::boolean, false)
                  or coalesce(p_row.config ->> 'deprecation_date', '') <> ''
                  or coalesce(p_row.raw_entry ->> 'deprecated', '') = 'true'
                  or coalesce(p_row.raw_entry ->> 'is_deprecated', '') = 'true'
                  or coalesce(p_row.raw_entry ->> 'deprecated_at', '') <> ''
                  or coalesce(p_row.raw_entry ->> 'deprecation_date', '') <> ''
  )
$$;

-- The catalog table: the models matching the filters (null: no filter), newest first, at most
-- p_limit of them, how many matched, and the counts per vendor over the whole catalog. Sorting
-- the rows shown is the page's job (a handful of columns).
create or replace function public.admin_catalog(
  p_search text default null,
  p_provider text default null,
  p_kind text default null,
  p_active boolean default null,
  p_enabled boolean default null,
  p_priced boolean default null,
  p_overridden boolean default null,
  p_deprecated boolean default null,
  p_limit integer default 1000
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  with flagged as (
    select p.*, public.admin_model_flags(p) as flags from public.ai_providers p
  ),
  matching as (
    select f.* from flagged f
     where (p_search is null or p_search = ''
            or strpos(lower(f.api_identifier), lower(p_search)) > 0
            or strpos(lower(coalesce(f.name, '')), lower(p_search)) > 0)
       and (p_provider is null or f.provider = p_provider)
       and (p_kind is null or f.kind = p_kind)
       and (p_active is null or f.is_active = p_active)
       and (p_enabled is null or f.is_enabled = p_enabled)
       and (p_priced is null or (f.flags ->> 'priced')::boolean = p_priced)
       and (p_overridden is null or (f.flags -> 'overridden_fields' <> '[]'::jsonb) = p_overridden)
       and (p_deprecated is null or (f.flags ->> 'deprecated')::boolean = p_deprecated)
  ),
  shown as (
    select m.* from matching m
     order by m.first_seen_at desc nulls last, m.provider, m.api_identifier
     limit greatest(p_limit, 0)
  )
  select jsonb_build_object(
    'models', coalesce((
      select jsonb_agg(jsonb_build_object(
               'provider', m.provider, 'api_identifier', m.api_identifier, 'name', m.name,
               'kind', m.kind, 'is_active', m.is_active, 'is_enabled', m.is_enabled,
               'input_token_cost_rate', m.config -> 'input_token_cost_rate',
               'output_token_cost_rate', m.config -> 'output_token_cost_rate',
               'context_window_tokens', m.config -> 'context_window_tokens',
               'first_seen_at', m.first_seen_at, 'updated_at', m.updated_at) || m.flags)
        from shown m), '[]'::jsonb),
    'matched', (select count(*) from matching),
    'limit', p_limit,
    'vendors', coalesce((
      select jsonb_agg(v order by v ->> 'provider')
        from (select jsonb_build_object(
                       'provider', f.provider, 'total', count(*),
                       'active', count(*) filter (where f.is_active),
                       'enabled', count(*) filter (where f.is_active and f.is_enabled)) as v
                from flagged f group by f.provider) counts), '[]'::jsonb)
  )
$$;

-- One model: its row, its flags, what the vendor now says for each field a person kept (the
-- latest "override kept" entry per field after the field's latest manual edit), and its change log.
create or replace function public.admin_model(
  p_provider text,
  p_api_identifier text,
  p_changes integer default 100
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'provider', p.provider, 'api_identifier', p.api_identifier, 'name', p.name,
    'description', p.description, 'kind', p.kind, 'is_active', p.is_active,
    'is_enabled', p.is_enabled, 'config', p.config, 'sync_baseline', p.sync_baseline,
    'config_sources', p.config_sources, 'first_seen_at', p.first_seen_at,
    'last_seen_at', p.last_seen_at, 'deactivated_at', p.deactivated_at,
    'updated_at', p.updated_at, 'last_run_id', p.last_run_id,
    'upstream', coalesce((
      select jsonb_object_agg(k.field, k.upstream)
        from (select distinct on (e.key) e.key as field, e.value -> 'upstream' as upstream
                from public.ai_model_changes c, jsonb_each(c.changes) e
               where c.model_id = p.id and c.kind = 'override_kept'
                 and c.id > coalesce((select max(m.id) from public.ai_model_changes m
                                       where m.model_id = p.id
                                         and m.kind in ('manual_edit', 'override_reset')
                                         and m.changes ? e.key), 0)
               order by e.key, c.id desc) k), '{}'::jsonb),
    'changes', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', c.id, 'kind', c.kind, 'run_id', c.run_id, 'changes', c.changes,
               'changed_by_role', c.changed_by_role, 'changed_by_user', c.changed_by_user,
               'created_at', c.created_at) order by c.id desc)
        from (select * from public.ai_model_changes c
               where c.model_id = p.id order by c.id desc limit greatest(p_changes, 0)) c),
      '[]'::jsonb)
  ) || public.admin_model_flags(p)
  from public.ai_providers p
  where p.provider = p_provider and p.api_identifier = p_api_identifier
$$;

-- A person's edit of one config field; the config check of 0005 rejects a bad value, naming the
-- field, and the change-log trigger records it as a manual edit. A null value removes the field.
create or replace function public.admin_set_config_field(
  p_provider text,
  p_api_identifier text,
  p_field text,
  p_value jsonb
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  result jsonb;
begin
  if coalesce(p_field, '') !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'field name % is not a config field name (lower case, digits, _)', p_field
      using errcode = 'invalid_parameter_value';
  end if;
  update public.ai_providers
     set config = case when p_value is null or p_value = 'null'::jsonb then config - p_field
                       else config || jsonb_build_object(p_field, p_value) end
   where provider = p_provider and api_identifier = p_api_identifier
  returning config into result;
  if not found then
    raise exception 'no model %/% in ai_providers', p_provider, p_api_identifier
      using errcode = 'no_data_found';
  end if;
  return result;
end
$$;

create or replace function public.admin_set_enabled(
  p_provider text,
  p_api_identifier text,
  p_enabled boolean
)
returns boolean
language plpgsql
security invoker
set search_path = ''
as $$
begin
  update public.ai_providers set is_enabled = p_enabled
   where provider = p_provider and api_identifier = p_api_identifier;
  if not found then
    raise exception 'no model %/% in ai_providers', p_provider, p_api_identifier
      using errcode = 'no_data_found';
  end if;
  return p_enabled;
end
$$;

-- The run history, newest first (without per-model detail: that is admin_run's).
create or replace function public.admin_runs(p_limit integer default 50)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(r) order by r.queued_at desc), '[]'::jsonb)
    from (select * from public.ai_sync_runs order by queued_at desc limit greatest(p_limit, 0)) r
$$;

-- One run: its row, and how many model changes of each kind it made.
create or replace function public.admin_run(p_run_id uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select to_jsonb(r) || jsonb_build_object('change_counts', coalesce((
           select jsonb_object_agg(c.kind, c.n)
             from (select kind, count(*) as n from public.ai_model_changes
                    where run_id = r.id group by kind) c), '{}'::jsonb))
    from public.ai_sync_runs r where r.id = p_run_id
$$;

-- Models first seen after a moment (the badge: "new since the last run you saw"), and the moment
-- the latest real run finished (what "seen" moves to).
create or replace function public.admin_new_models(
  p_since timestamptz,
  p_limit integer default 200
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  with added as (
    select p.provider, p.api_identifier, p.name, p.first_seen_at, p.last_run_id
      from public.ai_providers p
     where p.first_seen_at > coalesce(p_since, '-infinity')
  )
  select jsonb_build_object(
    'count', (select count(*) from added),
    'models', coalesce((
      select jsonb_agg(jsonb_build_object('provider', a.provider,
                                          'api_identifier', a.api_identifier, 'name', a.name,
                                          'first_seen_at', a.first_seen_at, 'run_id', a.last_run_id)
                       order by a.first_seen_at desc, a.provider, a.api_identifier)
        from (select * from added
               order by first_seen_at desc, provider, api_identifier
               limit greatest(p_limit, 0)) a), '[]'::jsonb),
    'latest_run_at', (select max(r.finished_at) from public.ai_sync_runs r where not r.dry_run),
    'running', exists (select 1 from public.ai_sync_runs r where r.status = 'running')
  )
$$;

do $$
declare
  f text;
begin
  foreach f in array array[
    'admin_model_flags(public.ai_providers)',
    'admin_catalog(text, text, text, boolean, boolean, boolean, boolean, boolean, integer)',
    'admin_model(text, text, integer)',
    'admin_set_config_field(text, text, text, jsonb)',
    'admin_set_enabled(text, text, boolean)',
    'admin_runs(integer)',
    'admin_run(uuid)',
    'admin_new_models(timestamptz, integer)'] loop
    execute format('revoke execute on function public.%s from public, anon, authenticated', f);
    execute format('grant execute on function public.%s to service_role', f);
  end loop;
end
$$;
