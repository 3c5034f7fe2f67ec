-- Applies one vendor's whole model list in one call and one transaction: insert new models,
-- merge existing ones (config fields, name and description) by the rule of 0022, keep prices
-- whose every source vanished (marked stale), reactivate, deactivate the missing (guarded), log,
-- and answer with counts. Replaces the function of 0007; its arguments and answer are the same,
-- plus `stale` and `stale_model_ids` (models whose price was kept, stale, by this sync).
--
-- Writes only what changed: a model listed again unchanged is not rewritten (its last_seen_at
-- moves at most daily), so a no-op sync of thousands of models costs one read.
--
-- p_models: a JSON array of {api_identifier, name, description, kind, config, config_sources, raw,
-- fingerprint}, where an entry the caller knows unchanged (its fingerprint equals the one
-- sync_model_fingerprints returned) may be sent as just {api_identifier, fingerprint}.
-- Duplicate ids in one list (Mistral lists some twice) are merged: the last entry wins.

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
-- JIT compiling these set-based statements costs more than running them; and the change log's
-- grouping of thousands of rows should stay in memory
set jit = off
set work_mem = '64MB'
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

    drop table if exists pg_temp.sync_incoming;
    create temp table sync_incoming on commit drop as
    select distinct on (e ->> 'api_identifier')
           e ->> 'api_identifier' as api_identifier,
           e ->> 'fingerprint' as fingerprint,
           e ? 'fingerprint' and not e ? 'config' as claim,
           e
    from jsonb_array_elements(p_models) with ordinality as t (e, ord)
    order by e ->> 'api_identifier', ord desc;

    if exists (select 1 from sync_incoming where coalesce(api_identifier, '') = '') then
      raise exception 'a model of % has no api_identifier', p_provider
        using errcode = 'invalid_parameter_value';
    end if;
    listed_count := (select count(*) from sync_incoming);

    -- An entry of only {api_identifier, fingerprint} says "the same as the last sync sent":
    -- valid only while the row still carries that fingerprint (else the caller resends it whole).
    if exists (select 1 from sync_incoming i
                 left join public.ai_providers p
                   on p.provider = p_provider and p.api_identifier = i.api_identifier
                where i.claim
                  and (p.id is null or not p.is_active
                       or p.sync_fingerprint is distinct from i.fingerprint)) then
      raise exception 'stale fingerprints: models of % changed since their fingerprints were read',
        p_provider using errcode = 'AISTL', hint = 'Send the whole entries.';
    end if;

    -- lock the rows this sync may write (models sent whole, active models it did not list)
    -- before reading them, so that an edit committed meanwhile is merged, not overwritten; rows
    -- vouched for by a fingerprint are neither read for a merge nor written
    perform 1
      from public.ai_providers p
     where p.provider = p_provider
       and (exists (select 1 from sync_incoming i
                     where i.api_identifier = p.api_identifier and not i.claim)
            or (p.is_active and not exists (select 1 from sync_incoming i
                                             where i.api_identifier = p.api_identifier)))
       for update of p;

    -- the plan: one row per model sent whole, taking what this sync computed; the merge below
    -- changes that only where a person edited something (0022's rule, value by value)
    drop table if exists pg_temp.sync_plan;
    create temp table sync_plan on commit drop as
    select i.api_identifier, i.fingerprint,
           i.e ->> 'name' as name,
           i.e ->> 'description' as description,
           coalesce(i.e ->> 'kind', 'chat') as kind,
           -- a price that no source carries any more keeps the value the last sync wrote,
           -- marked stale (and stays the baseline: the field is still the sync's when a source
           -- returns)
           coalesce(i.e -> 'config', '{}'::jsonb) || v.vanished as config,
           case when v.vanished = '{}'::jsonb then coalesce(i.e -> 'config_sources', '{}'::jsonb)
                else public.sync_mark_stale(i.e -> 'config_sources', p.config_sources, v.vanished)
           end as config_sources,
           i.e -> 'raw' as raw_entry,
           p.id, p.config as current_config, p.sync_baseline, p.is_active,
           p.name as current_name, p.description as current_description, p.kind as current_kind,
           p.sync_baseline_name, p.sync_baseline_description,
           p.config_sources as current_sources, p.raw_entry as current_raw, p.last_seen_at,
           p.sync_fingerprint as current_fingerprint,
           i.e ->> 'name' as merged_name, false as name_kept,
           i.e ->> 'description' as merged_description, false as description_kept,
           v.vanished,
           v.vanished <> '{}'::jsonb
             and exists (select 1 from jsonb_object_keys(v.vanished) f
                          where coalesce(p.config_sources ->> f, '') not like 'stale:%')
             as newly_stale,
           coalesce(i.e -> 'config', '{}'::jsonb) || v.vanished as merged_config,
           '{}'::jsonb as kept, false as clamp
    from sync_incoming i
    left join public.ai_providers p
      on p.provider = p_provider and p.api_identifier = i.api_identifier
    cross join lateral (
      -- offset 0: computed once per row, not once per use
      select public.sync_vanished_prices(p.sync_baseline, i.e -> 'config') as vanished offset 0) v
    where not i.claim;

    -- name and description, where a person changed either (it differs from its baseline)
    update sync_plan s
       set merged_name = (n).value #>> '{}', name_kept = (n).override_kept,
           merged_description = (d).value #>> '{}', description_kept = (d).override_kept
      from (select api_identifier,
                   public.sync_merge_field(to_jsonb(sync_baseline_name), to_jsonb(current_name),
                                           to_jsonb(name)) as n,
                   public.sync_merge_field(to_jsonb(sync_baseline_description),
                                           to_jsonb(current_description), to_jsonb(description)) as d
              from sync_plan
             where id is not null
               and (current_name, current_description)
                   is distinct from (sync_baseline_name, sync_baseline_description)) m
     where s.api_identifier = m.api_identifier;

    -- the config, field by field, only where a person changed something (config <> baseline)
    update sync_plan s
       set (merged_config, kept) = (select m.config, m.kept
                                      from public.sync_merge_config(s.sync_baseline,
                                                                    s.current_config, s.config) m)
     where s.id is not null and s.current_config is distinct from s.sync_baseline;

    -- the app cap never exceeds the provider's max output, even when a person set it
    update sync_plan
       set clamp = true,
           merged_config = jsonb_set(merged_config, '{hard_cap_output_tokens}',
                                     merged_config -> 'provider_max_output_tokens')
     where jsonb_typeof(merged_config -> 'hard_cap_output_tokens') = 'number'
       and jsonb_typeof(merged_config -> 'provider_max_output_tokens') = 'number'
       and (merged_config ->> 'hard_cap_output_tokens')::numeric
           > (merged_config ->> 'provider_max_output_tokens')::numeric;

    alter table sync_plan
      add column changed boolean, add column touched boolean, add column column_changes jsonb;
    update sync_plan
       set column_changes =
             case when merged_name is distinct from current_name
                  then jsonb_build_object('name', jsonb_build_object('old', current_name,
                                                                     'new', merged_name))
                  else '{}'::jsonb end
             || case when merged_description is distinct from current_description
                     then jsonb_build_object('description', jsonb_build_object(
                            'old', current_description, 'new', merged_description))
                     else '{}'::jsonb end
             || case when kind is distinct from current_kind
                     then jsonb_build_object('kind', jsonb_build_object('old', current_kind, 'new', kind))
                     else '{}'::jsonb end,
           kept = kept
             || case when name_kept
                     then jsonb_build_object('name', jsonb_build_object(
                            'kept', current_name, 'baseline', sync_baseline_name, 'upstream', name))
                     else '{}'::jsonb end
             || case when description_kept
                     then jsonb_build_object('description', jsonb_build_object(
                            'kept', current_description, 'baseline', sync_baseline_description,
                            'upstream', description))
                     else '{}'::jsonb end,
           changed = id is not null
                     and (merged_config, merged_name, merged_description, kind)
                         is distinct from (current_config, current_name, current_description, current_kind),
           -- bookkeeping only: a model seen again is rewritten when its bookkeeping moved, and
           -- at most daily for last_seen_at (like relatime), so a no-op sync writes no rows
           touched = id is not null
                     and (not is_active
                          or (config, name, description, config_sources, raw_entry, fingerprint)
                             is distinct from
                             (sync_baseline, sync_baseline_name, sync_baseline_description,
                              current_sources, current_raw, current_fingerprint)
                          or last_seen_at < now() - interval '1 day');

    select count(*) filter (where p.is_active),
           count(*) filter (where p.is_active and s.api_identifier is null)
      into active_count, missing_count
      from public.ai_providers p
      left join sync_incoming s on s.api_identifier = p.api_identifier
     where p.provider = p_provider;
    guarded := not p_force and missing_count > 0
               and (listed_count = 0 or missing_count > p_max_deactivate_share * active_count);

    select jsonb_build_object(
             'provider', p_provider,
             'status', case when guarded then 'guarded' else 'succeeded' end,
             'dry_run', p_dry_run,
             'inserted', count(*) filter (where id is null),
             'updated', count(*) filter (where changed),
             'unchanged', count(*) filter (where id is not null and is_active and not changed)
                          + (select count(*) from sync_incoming where claim),
             'reactivated', count(*) filter (where id is not null and not is_active),
             'deactivated', case when guarded then 0 else missing_count end,
             'would_deactivate', missing_count,
             'overrides_kept', coalesce(sum((select count(*) from jsonb_object_keys(kept))), 0),
             'caps_clamped', count(*) filter (where clamp),
             'stale', count(*) filter (where newly_stale),
             'stale_model_ids', coalesce(jsonb_agg(api_identifier order by api_identifier)
                                           filter (where newly_stale), '[]'::jsonb),
             'duplicates', jsonb_array_length(p_models) - listed_count,
             'listed', listed_count,
             'new_model_ids', coalesce(jsonb_agg(api_identifier order by api_identifier)
                                         filter (where id is null), '[]'::jsonb))
      into result
      from sync_plan;

    with inserted as (
      insert into public.ai_providers
        (provider, api_identifier, name, description, kind, is_active, is_enabled, config,
         sync_baseline, sync_baseline_name, sync_baseline_description, config_sources, raw_entry,
         sync_fingerprint, first_seen_at, last_seen_at, last_run_id)
      select p_provider, api_identifier, name, description, kind, true,
             -- on by default only when the model is priced
             coalesce(jsonb_typeof(config -> 'input_token_cost_rate') = 'number'
                      and jsonb_typeof(config -> 'output_token_cost_rate') = 'number', false),
             merged_config, config, name, description, config_sources, raw_entry, fingerprint,
             now(), now(), p_run_id
      from sync_plan where id is null
      returning id, api_identifier, config, name, description, kind, is_enabled
    )
    insert into public.ai_model_changes (model_id, provider, api_identifier, run_id, kind, changes)
    select i.id, p_provider, i.api_identifier, p_run_id, 'added',
           jsonb_object_agg(d.field, jsonb_build_object('old', d.old_value, 'new', d.new_value))
    from (select id, api_identifier,
                 config || jsonb_build_object('name', name, 'description', description,
                                              'kind', kind, 'is_enabled', is_enabled) as new_values
          from inserted offset 0) i  -- offset 0: build each row's object once, not per field
    cross join lateral public.ai_jsonb_diff_fields('{}'::jsonb, i.new_values) d
    group by i.id, i.api_identifier;

    update public.ai_providers p
       set config = s.merged_config,
           sync_baseline = s.config,
           sync_baseline_name = s.name,
           sync_baseline_description = s.description,
           config_sources = s.config_sources,
           raw_entry = s.raw_entry,
           sync_fingerprint = s.fingerprint,
           name = s.merged_name,
           description = s.merged_description,
           kind = s.kind,
           is_active = true,
           deactivated_at = null,
           last_seen_at = now(),
           last_run_id = p_run_id
      from sync_plan s
     where s.id = p.id and (s.changed or s.touched);

    if not guarded and missing_count > 0 then
      with gone as (
        update public.ai_providers p
           set is_active = false, deactivated_at = now(), last_run_id = p_run_id
         where p.provider = p_provider and p.is_active
           and not exists (select 1 from sync_incoming i where i.api_identifier = p.api_identifier)
        returning p.id, p.api_identifier
      )
      insert into public.ai_model_changes (model_id, provider, api_identifier, run_id, kind, changes)
      select id, p_provider, api_identifier, p_run_id, 'deactivated',
             '{"is_active": {"old": true, "new": false}}'::jsonb
      from gone;
    end if;

    -- the sync's own change log, in one statement
    insert into public.ai_model_changes (model_id, provider, api_identifier, run_id, kind, changes)
    select s.id, p_provider, s.api_identifier, p_run_id, 'reactivated',
           '{"is_active": {"old": false, "new": true}}'::jsonb
    from sync_plan s where s.id is not null and not s.is_active
    union all
    select s.id, p_provider, s.api_identifier, p_run_id, 'updated',
           coalesce(jsonb_object_agg(d.field, jsonb_build_object('old', d.old_value,
                                                                 'new', d.new_value))
                      filter (where d.field is not null), '{}'::jsonb)
           || s.column_changes
    from sync_plan s
    left join lateral public.ai_jsonb_diff_fields(s.current_config, s.merged_config) d on true
    where s.changed
    group by s.id, s.api_identifier, s.column_changes
    union all
    select s.id, p_provider, s.api_identifier, p_run_id, 'override_kept', s.kept
    from sync_plan s where s.kept <> '{}'::jsonb
    union all
    select s.id, p_provider, s.api_identifier, p_run_id, 'cap_clamped',
           jsonb_build_object('hard_cap_output_tokens', jsonb_build_object(
             'old', coalesce(s.current_config -> 'hard_cap_output_tokens', 'null'::jsonb),
             'new', s.merged_config -> 'hard_cap_output_tokens'))
    from sync_plan s where s.clamp and s.id is not null
    union all
    select s.id, p_provider, s.api_identifier, p_run_id, 'source_vanished',
           (select jsonb_object_agg(v.key, jsonb_build_object('kept', v.value,
                                                              'source', s.config_sources ->> v.key))
              from jsonb_each(s.vanished) v)
    from sync_plan s where s.newly_stale;

    perform set_config('sync_ai_models.in_sync', '', true);

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
