-- The merge rule as small functions, and sync_apply_provider_models (0007) rebuilt on them.
--
-- sync_merge_field is THE rule, for one value (a config field, the name, the description):
-- baseline B = what the last sync wrote, current C = what the row holds, incoming N = what this
-- sync computed. C = B: the value is the sync's, take N. C <> B: a person changed it, keep C;
-- and if N <> B the upstream moved too, which the sync logs as "override kept, upstream now N".
-- A missing value and a JSON null are the same "unknown".
--
-- sync_merge_field and sync_vanished_prices have no `set search_path` and a single expression:
-- Postgres inlines them into the apply's set-based statements (a call per row would cost more
-- than the rest of the row's work); they call only pg_catalog built-ins and name public.* in full.

create type public.sync_merged_field as (value jsonb, override_kept boolean);

create or replace function public.sync_merge_field(
  p_baseline jsonb, p_current jsonb, p_incoming jsonb
)
returns public.sync_merged_field
language sql
immutable
parallel safe
as $$
  select row(case when coalesce(p_current, 'null') = coalesce(p_baseline, 'null')
                  then p_incoming else p_current end,
             coalesce(p_current, 'null') <> coalesce(p_baseline, 'null')
             and coalesce(p_incoming, 'null') <> coalesce(p_baseline, 'null')
         )::public.sync_merged_field
$$;

-- The rule over a whole config, key by key: the merged config (unknown values left out) and,
-- for each key kept against an upstream change, {"kept": C, "baseline": B, "upstream": N}.
create or replace function public.sync_merge_config(
  p_baseline jsonb, p_current jsonb, p_incoming jsonb, out config jsonb, out kept jsonb
)
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(k, (m).value)
                    filter (where coalesce((m).value, 'null') <> 'null'), '{}'::jsonb),
         coalesce(jsonb_object_agg(k, jsonb_build_object('kept', p_current -> k,
                                                         'baseline', p_baseline -> k,
                                                         'upstream', p_incoming -> k))
                    filter (where (m).override_kept), '{}'::jsonb)
  from jsonb_object_keys(coalesce(p_current, '{}'::jsonb) || coalesce(p_baseline, '{}'::jsonb)
                         || coalesce(p_incoming, '{}'::jsonb)) as keys (k)
  cross join lateral (select public.sync_merge_field(p_baseline -> k, p_current -> k,
                                                     p_incoming -> k) as m) as merged
$$;

-- Prices the last sync wrote that no source carries any more: {field: last value}. They are kept
-- (marked stale in config_sources), never replaced by null. Only a valid price is kept, so a
-- baseline edited into nonsense cannot make the next sync write an invalid config.
-- (stable, not immutable: jsonb_build_object is stable, and Postgres inlines a function only when
-- its body is no more volatile than it says)
create or replace function public.sync_vanished_prices(p_baseline jsonb, p_incoming jsonb)
returns jsonb
language sql
stable
parallel safe
as $$
  select case
    -- first the cheap test (most rows: nothing vanished), then the object
    when (jsonb_typeof(p_baseline -> 'input_token_cost_rate') = 'number'
          and jsonb_typeof(p_incoming -> 'input_token_cost_rate') is distinct from 'number')
      or (jsonb_typeof(p_baseline -> 'output_token_cost_rate') = 'number'
          and jsonb_typeof(p_incoming -> 'output_token_cost_rate') is distinct from 'number')
      or (jsonb_typeof(p_baseline -> 'cache_read_token_cost_rate') = 'number'
          and jsonb_typeof(p_incoming -> 'cache_read_token_cost_rate') is distinct from 'number')
      or (jsonb_typeof(p_baseline -> 'cache_write_token_cost_rate') = 'number'
          and jsonb_typeof(p_incoming -> 'cache_write_token_cost_rate') is distinct from 'number')
    then jsonb_strip_nulls(jsonb_build_object(
      'input_token_cost_rate',
        case when jsonb_typeof(p_incoming -> 'input_token_cost_rate') is distinct from 'number'
              and jsonb_typeof(p_baseline -> 'input_token_cost_rate') = 'number'
              and (p_baseline ->> 'input_token_cost_rate')::numeric >= 0
             then p_baseline -> 'input_token_cost_rate' end,
      'output_token_cost_rate',
        case when jsonb_typeof(p_incoming -> 'output_token_cost_rate') is distinct from 'number'
              and jsonb_typeof(p_baseline -> 'output_token_cost_rate') = 'number'
              and (p_baseline ->> 'output_token_cost_rate')::numeric >= 0
             then p_baseline -> 'output_token_cost_rate' end,
      'cache_read_token_cost_rate',
        case when jsonb_typeof(p_incoming -> 'cache_read_token_cost_rate') is distinct from 'number'
              and jsonb_typeof(p_baseline -> 'cache_read_token_cost_rate') = 'number'
              and (p_baseline ->> 'cache_read_token_cost_rate')::numeric >= 0
             then p_baseline -> 'cache_read_token_cost_rate' end,
      'cache_write_token_cost_rate',
        case when jsonb_typeof(p_incoming -> 'cache_write_token_cost_rate') is distinct from 'number'
              and jsonb_typeof(p_baseline -> 'cache_write_token_cost_rate') = 'number'
              and (p_baseline ->> 'cache_write_token_cost_rate')::numeric >= 0
             then p_baseline -> 'cache_write_token_cost_rate' end))
    else '{}'::jsonb end
$$;

-- config_sources with each vanished field marked 'stale:<the source it last came from>'
create or replace function public.sync_mark_stale(p_sources jsonb, p_previous jsonb, p_fields jsonb)
returns jsonb
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(p_sources, '{}'::jsonb) || coalesce(jsonb_object_agg(
           f, 'stale:' || regexp_replace(coalesce(p_previous ->> f, 'unknown'), '^(stale:)+', '')),
         '{}'::jsonb)
  from jsonb_object_keys(p_fields) as f
$$;

revoke execute on function public.sync_merge_field(jsonb, jsonb, jsonb) from public, anon, authenticated;
revoke execute on function public.sync_merge_config(jsonb, jsonb, jsonb) from public, anon, authenticated;
revoke execute on function public.sync_vanished_prices(jsonb, jsonb) from public, anon, authenticated;
revoke execute on function public.sync_mark_stale(jsonb, jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.sync_merge_field(jsonb, jsonb, jsonb) to service_role;
grant execute on function public.sync_merge_config(jsonb, jsonb, jsonb) to service_role;
grant execute on function public.sync_vanished_prices(jsonb, jsonb) to service_role;
grant execute on function public.sync_mark_stale(jsonb, jsonb, jsonb) to service_role;
