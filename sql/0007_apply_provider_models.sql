-- Applies one vendor's whole model list in one call and one transaction: insert new models,
-- three-way merge existing configs per field, reactivate, deactivate the missing (guarded),
-- and answer with counts. See DESIGN.md section 4 for the merge rule.
--
-- p_models: a JSON array of {api_identifier, name, description, kind, config, config_sources, raw}.
-- Duplicate ids in one list (Mistral lists some twice) are merged: the last entry wins.

create or replace function public.ai_overridden_fields(p_config jsonb, p_baseline jsonb)
returns text[]
language sql
immutable
security invoker
set search_path = ''
as $$
  -- a field differs from what the last sync wrote: a person changed it
  select coalesce(array_agg(k order by k), '{}')
  from (select jsonb_object_keys(coalesce(p_config, '{}'::jsonb))
        union
        select jsonb_object_keys(coalesce(p_baseline, '{}'::jsonb))) as keys (k)
  where coalesce(p_config -> k, 'null'::jsonb) <> coalesce(p_baseline -> k, 'null'::jsonb)
$$;

create or replace function public.sync_apply_provider_models(
  p_provider text,
  p_models jsonb,
  p_run_id uuid default null,
  p_dry_run boolean default false,
  p_force boolean default false,
  p_max_deactivate_share numeric default 0.5
)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  listed_count int;
  active_count int;
  missing_count int;
  guarded boolean;
  result jsonb;
begin
  if p_provider is null or p_provider !~ '^[a-z0-9][a-z0-9_-]*$' then
    raise exception 'provider must be a lower-case id such as "openai", got %', p_provider
      using errcode = 'invalid_parameter_value';
  end if;
  if jsonb_typeof(p_models) is distinct from 'array' then
    raise exception 'models for % must be a JSON array, got %', p_provider,
      coalesce(jsonb_typeof(p_models), 'null') using errcode = 'invalid_parameter_value';
  end if;
  if p_max_deactivate_share is null or p_max_deactivate_share < 0 or p_max_deactivate_share > 1 then
    raise exception 'max deactivate share must be between 0 and 1, got %', p_max_deactivate_share
      using errcode = 'invalid_parameter_value';
  end if;

  -- one sync per provider at a time; the second one is told, not queued behind the first
  if not pg_try_advisory_xact_lock(hashtextextended('sync-ai-models:provider:' || p_provider, 0)) then
    raise exception 'already running: another sync of provider % holds its lock', p_provider
      using errcode = 'lock_not_available';
  end if;

  begin
    perform set_config('sync_ai_models.in_sync', 'on', true);
    perform set_config('sync_ai_models.run_id', coalesce(p_run_id::text, ''), true);

    -- lock the provider's rows first, so that an edit committed meanwhile is read, not overwritten
    perform 1 from public.ai_providers where provider = p_provider for update;

    drop table if exists pg_temp.sync_incoming;
    create temp table sync_incoming on commit drop as
    select distinct on (e ->> 'api_identifier')
           e ->> 'api_identifier' as api_identifier,
           e ->> 'name' as name,
           e ->> 'description' as description,
           coalesce(e ->> 'kind', 'chat') as kind,
           coalesce(e -> 'config', '{}'::jsonb) as config,
           coalesce(e -> 'config_sources', '{}'::jsonb) as config_sources,
           e -> 'raw' as raw_entry
    from jsonb_array_elements(p_models) with ordinality as t (e, ord)
    order by e ->> 'api_identifier', ord desc;

    if exists (select 1 from sync_incoming where coalesce(api_identifier, '') = '') then
      raise exception 'a model of % has no api_identifier', p_provider
        using errcode = 'invalid_parameter_value';
    end if;
    listed_count := (select count(*) from sync_incoming);

    -- the merge plan: one row per listed model
    drop table if exists pg_temp.sync_plan;
    create temp table sync_plan on commit drop as
    with joined as (
      select i.*, p.id, p.config as current_config, p.sync_baseline, p.is_active,
             p.name as current_name, p.description as current_description,
             p.kind as current_kind
      from sync_incoming i
      left join public.ai_providers p
        on p.provider = p_provider and p.api_identifier = i.api_identifier
    ),
    merged as (
      select j.*,
             case
               when j.id is null then j.config
               when j.current_config = j.sync_baseline then j.config   -- nothing overridden
               else m.config
             end as merged_config,
             case when j.id is null or j.current_config = j.sync_baseline then '{}'::jsonb
                  else m.kept end as kept
      from joined j
      left join lateral (
        select coalesce(jsonb_object_agg(k, case when manual then c else n end)
                          filter (where (case when manual then c else n end) is not null),
                        '{}'::jsonb) as config,
               coalesce(jsonb_object_agg(k, jsonb_build_object('kept', c, 'baseline', b, 'upstream', n))
                          filter (where manual and coalesce(n, 'null'::jsonb) <> coalesce(b, 'null'::jsonb)),
                        '{}'::jsonb) as kept
        from (
          select k, j.current_config -> k as c, j.sync_baseline -> k as b, j.config -> k as n,
                 coalesce(j.current_config -> k, 'null'::jsonb)
                   <> coalesce(j.sync_baseline -> k, 'null'::jsonb) as manual
          from (select jsonb_object_keys(j.current_config)
                union select jsonb_object_keys(coalesce(j.sync_baseline, '{}'::jsonb))
                union select jsonb_object_keys(j.config)) as keys (k)
        ) per_field
        where j.id is not null and j.current_config is distinct from j.sync_baseline
      ) m on true
    )
    select m.*,
           -- the app cap never exceeds the provider's max output, even when a person set it
           jsonb_typeof(m.merged_config -> 'hard_cap_output_tokens') = 'number'
             and jsonb_typeof(m.merged_config -> 'provider_max_output_tokens') = 'number'
             and (m.merged_config ->> 'hard_cap_output_tokens')::numeric
                 > (m.merged_config ->> 'provider_max_output_tokens')::numeric as clamp
    from merged m;

    update sync_plan
       set merged_config = jsonb_set(merged_config, '{hard_cap_output_tokens}',
                                     merged_config -> 'provider_max_output_tokens')
     where clamp;

    active_count := (select count(*) from public.ai_providers
                      where provider = p_provider and is_active);
    missing_count := (select count(*) from public.ai_providers p
                       where p.provider = p_provider and p.is_active
                         and not exists (select 1 from sync_incoming i
                                          where i.api_identifier = p.api_identifier));
    guarded := not p_force and missing_count > 0
               and (listed_count = 0 or missing_count > p_max_deactivate_share * active_count);

    result := jsonb_build_object(
      'provider', p_provider,
      'status', case when guarded then 'guarded' else 'succeeded' end,
      'dry_run', p_dry_run,
      'inserted', (select count(*) from sync_plan where id is null),
      'updated', (select count(*) from sync_plan
                   where id is not null
                     and (merged_config, name, description, kind)
                         is distinct from (current_config, current_name, current_description, current_kind)),
      'unchanged', (select count(*) from sync_plan
                     where id is not null and is_active
                       and (merged_config, name, description, kind)
                           is not distinct from (current_config, current_name, current_description, current_kind)),
      'reactivated', (select count(*) from sync_plan where id is not null and not is_active),
      'deactivated', case when guarded then 0 else missing_count end,
      'would_deactivate', missing_count,
      'overrides_kept', (select count(*) from sync_plan, jsonb_object_keys(kept)),
      'caps_clamped', (select count(*) from sync_plan where clamp),
      'duplicates', jsonb_array_length(p_models) - listed_count,
      'listed', listed_count,
      'new_model_ids', (select coalesce(jsonb_agg(api_identifier order by api_identifier), '[]'::jsonb)
                          from sync_plan where id is null));

    insert into public.ai_providers
      (provider, api_identifier, name, description, kind, is_active, is_enabled, config,
       sync_baseline, config_sources, raw_entry, first_seen_at, last_seen_at, last_run_id)
    select p_provider, api_identifier, name, description, kind, true,
           -- on by default only when the model is priced
           coalesce(jsonb_typeof(config -> 'input_token_cost_rate') = 'number'
                    and jsonb_typeof(config -> 'output_token_cost_rate') = 'number', false),
           merged_config, config, config_sources, raw_entry, now(), now(), p_run_id
    from sync_plan where id is null;

    update public.ai_providers p
       set config = s.merged_config,
           sync_baseline = s.config,
           config_sources = s.config_sources,
           raw_entry = s.raw_entry,
           name = s.name,
           description = s.description,
           kind = s.kind,
           is_active = true,
           deactivated_at = null,
           last_seen_at = now(),
           last_run_id = p_run_id
      from sync_plan s
     where s.id = p.id;

    if not guarded and missing_count > 0 then
      update public.ai_providers p
         set is_active = false, deactivated_at = now(), last_run_id = p_run_id
       where p.provider = p_provider and p.is_active
         and not exists (select 1 from sync_incoming i where i.api_identifier = p.api_identifier);
    end if;

    -- what the triggers cannot see: a person's value kept against a new upstream value, a cap clamped
    insert into public.ai_model_changes (model_id, provider, api_identifier, run_id, kind, changes)
    select s.id, p_provider, s.api_identifier, p_run_id, 'override_kept', s.kept
    from sync_plan s where s.kept <> '{}'::jsonb
    union all
    select s.id, p_provider, s.api_identifier, p_run_id, 'cap_clamped',
           jsonb_build_object('hard_cap_output_tokens', jsonb_build_object(
             'old', coalesce(s.current_config -> 'hard_cap_output_tokens', 'null'::jsonb),
             'new', s.merged_config -> 'hard_cap_output_tokens'))
    from sync_plan s where s.clamp and s.id is not null;

    perform set_config('sync_ai_models.in_sync', '', true);
    perform set_config('sync_ai_models.run_id', '', true);

    if p_dry_run then
      -- roll back everything this block wrote; the counts above are what would have happened
      raise exception using errcode = 'AIDRY';
    end if;
  exception
    when sqlstate 'AIDRY' then
      null;
  end;

  return result;
end
$$;

revoke execute on function public.ai_overridden_fields(jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.ai_overridden_fields(jsonb, jsonb) to service_role;
revoke execute on function public.sync_apply_provider_models(text, jsonb, uuid, boolean, boolean, numeric)
  from public, anon, authenticated;
grant execute on function public.sync_apply_provider_models(text, jsonb, uuid, boolean, boolean, numeric)
  to service_role;
