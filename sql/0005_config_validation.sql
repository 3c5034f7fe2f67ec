-- Rejects a config that breaks the schema of shared/model_config.py (ModelConfig), naming the
-- field. Unknown top-level keys are allowed: admins may keep their own notes in the config.
create or replace function public.ai_config_error(p_config jsonb)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
  -- the rules, as tables: field -> kind of value
  rate_fields constant text[] := array[
    'input_token_cost_rate', 'output_token_cost_rate',
    'cache_read_token_cost_rate', 'cache_write_token_cost_rate'];
  count_fields constant text[] := array[
    'context_window_tokens', 'hard_cap_output_tokens',
    'provider_max_input_tokens', 'provider_max_output_tokens'];
  strategy_keys constant jsonb := '{
    "tiktoken": ["type", "encoding", "chatml"],
    "rough_char_count": ["type", "chars_per_token"],
    "provider_api": ["type", "fallback_chars_per_token"],
    "none": ["type"]}';
  encodings constant text[] := array['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];
  f text;
  v jsonb;
  strategy jsonb;
  strategy_type text;
  tier jsonb;
  i int := 0;
begin
  if p_config is null or jsonb_typeof(p_config) <> 'object' then
    return 'config must be a JSON object';
  end if;

  foreach f in array rate_fields loop
    v := p_config -> f;
    if v is not null and v <> 'null'::jsonb
       and (jsonb_typeof(v) <> 'number' or (v #>> '{}')::numeric < 0) then
      return format('config.%s must be a non-negative number (USD per token) or null, got %s', f, v);
    end if;
  end loop;

  foreach f in array count_fields loop
    v := p_config -> f;
    if v is not null and v <> 'null'::jsonb
       and (jsonb_typeof(v) <> 'number' or (v #>> '{}') !~ '^[1-9][0-9]*$') then
      return format('config.%s must be a positive whole number of tokens or null, got %s', f, v);
    end if;
  end loop;

  if jsonb_typeof(p_config -> 'hard_cap_output_tokens') = 'number'
     and jsonb_typeof(p_config -> 'provider_max_output_tokens') = 'number'
     and (p_config ->> 'hard_cap_output_tokens')::numeric
         > (p_config ->> 'provider_max_output_tokens')::numeric then
    return format('config.hard_cap_output_tokens (%s) must not exceed provider_max_output_tokens (%s)',
                  p_config -> 'hard_cap_output_tokens', p_config -> 'provider_max_output_tokens');
  end if;

  v := p_config -> 'price_tiers';
  if v is not null and v <> 'null'::jsonb then
    if jsonb_typeof(v) <> 'array' then
      return format('config.price_tiers must be a list of tiers or null, got %s', v);
    end if;
    for tier in select value from jsonb_array_elements(v) loop
      if jsonb_typeof(tier) <> 'object' then
        return format('config.price_tiers[%s] must be an object, got %s', i, tier);
      end if;
      if jsonb_typeof(tier -> 'start_tokens') is distinct from 'number'
         or (tier ->> 'start_tokens') !~ '^[1-9][0-9]*$' then
        return format('config.price_tiers[%s].start_tokens must be a positive whole number, got %s',
                      i, coalesce(tier -> 'start_tokens', 'null'::jsonb));
      end if;
      foreach f in array array['input_token_cost_rate', 'output_token_cost_rate'] loop
        if tier ? f and tier -> f <> 'null'::jsonb
           and (jsonb_typeof(tier -> f) <> 'number' or (tier ->> f)::numeric < 0) then
          return format('config.price_tiers[%s].%s must be a non-negative number or null, got %s',
                        i, f, tier -> f);
        end if;
      end loop;
      select k into f from jsonb_object_keys(tier) as k
       where k not in ('start_tokens', 'input_token_cost_rate', 'output_token_cost_rate') limit 1;
      if f is not null then
        return format('config.price_tiers[%s] has an unknown key %s', i, f);
      end if;
      i := i + 1;
    end loop;
  end if;

  if p_config ? 'tokenization_strategy' then
    strategy := p_config -> 'tokenization_strategy';
    if jsonb_typeof(strategy) <> 'object' then
      return format('config.tokenization_strategy must be an object with a "type", got %s', strategy);
    end if;
    strategy_type := strategy ->> 'type';
    if strategy_type is null or not strategy_keys ? strategy_type then
      return format('config.tokenization_strategy.type must be one of tiktoken, rough_char_count, '
                    'provider_api, none, got %s', coalesce(strategy -> 'type', 'null'::jsonb));
    end if;
    select k into f from jsonb_object_keys(strategy) as k
     where not (strategy_keys -> strategy_type) ? k limit 1;
    if f is not null then
      return format('config.tokenization_strategy has a key %s that a %s strategy does not take',
                    f, strategy_type);
    end if;
    if strategy_type = 'tiktoken' then
      if not (strategy ->> 'encoding') = any (encodings) or strategy ->> 'encoding' is null then
        return format('config.tokenization_strategy.encoding must be one of %s, got %s',
                      array_to_string(encodings, ', '), coalesce(strategy -> 'encoding', 'null'::jsonb));
      end if;
      if strategy ? 'chatml' and jsonb_typeof(strategy -> 'chatml') <> 'boolean' then
        return format('config.tokenization_strategy.chatml must be true or false, got %s',
                      strategy -> 'chatml');
      end if;
    elsif strategy_type in ('rough_char_count', 'provider_api') then
      f := case strategy_type when 'rough_char_count' then 'chars_per_token'
                              else 'fallback_chars_per_token' end;
      if jsonb_typeof(strategy -> f) is distinct from 'number' or (strategy ->> f)::numeric <= 0 then
        return format('config.tokenization_strategy.%s must be a number above 0, got %s',
                      f, coalesce(strategy -> f, 'null'::jsonb));
      end if;
    end if;
  end if;

  return null;
end
$$;

-- The common case, decided in one expression: a config with no price tiers whose every known
-- field is plainly right. The triggers below run the full check only when this says no, so a
-- sync writing ten thousand valid configs pays microseconds per row. (Sound, not complete:
-- true means valid; false means "ask ai_config_error". tests/test_model_config.py checks it.)
-- No `set search_path` here: it would stop Postgres inlining this into the triggers' WHEN
-- clauses, and it calls only pg_catalog built-ins, which resolve first whatever the path.
create or replace function public.ai_config_plainly_valid(c jsonb)
returns boolean
language sql
immutable
parallel safe
as $$
  select jsonb_typeof(c) = 'object'
    and coalesce(c -> 'price_tiers', 'null'::jsonb) = 'null'::jsonb
    and case jsonb_typeof(c -> 'input_token_cost_rate')
          when 'number' then (c ->> 'input_token_cost_rate')::numeric >= 0
          when 'null' then true else not c ? 'input_token_cost_rate' end
    and case jsonb_typeof(c -> 'output_token_cost_rate')
          when 'number' then (c ->> 'output_token_cost_rate')::numeric >= 0
          when 'null' then true else not c ? 'output_token_cost_rate' end
    and case jsonb_typeof(c -> 'cache_read_token_cost_rate')
          when 'number' then (c ->> 'cache_read_token_cost_rate')::numeric >= 0
          when 'null' then true else not c ? 'cache_read_token_cost_rate' end
    and case jsonb_typeof(c -> 'cache_write_token_cost_rate')
          when 'number' then (c ->> 'cache_write_token_cost_rate')::numeric >= 0
          when 'null' then true else not c ? 'cache_write_token_cost_rate' end
    and case jsonb_typeof(c -> 'context_window_tokens')
          when 'number' then (c ->> 'context_window_tokens') ~ '^[1-9][0-9]*$'
          when 'null' then true else not c ? 'context_window_tokens' end
    and case jsonb_typeof(c -> 'hard_cap_output_tokens')
          when 'number' then (c ->> 'hard_cap_output_tokens') ~ '^[1-9][0-9]*$'
          when 'null' then true else not c ? 'hard_cap_output_tokens' end
    and case jsonb_typeof(c -> 'provider_max_input_tokens')
          when 'number' then (c ->> 'provider_max_input_tokens') ~ '^[1-9][0-9]*$'
          when 'null' then true else not c ? 'provider_max_input_tokens' end
    and case jsonb_typeof(c -> 'provider_max_output_tokens')
          when 'number' then (c ->> 'provider_max_output_tokens') ~ '^[1-9][0-9]*$'
          when 'null' then true else not c ? 'provider_max_output_tokens' end
    and case when jsonb_typeof(c -> 'hard_cap_output_tokens') = 'number'
                  and jsonb_typeof(c -> 'provider_max_output_tokens') = 'number'
             then (c ->> 'hard_cap_output_tokens')::numeric
                  <= (c ->> 'provider_max_output_tokens')::numeric
             else true end
    and case c -> 'tokenization_strategy' ->> 'type'
          when 'tiktoken' then
            (c -> 'tokenization_strategy') - 'type' - 'encoding' - 'chatml' = '{}'::jsonb
            and c -> 'tokenization_strategy' ->> 'encoding'
                in ('o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base')
            and coalesce(jsonb_typeof(c -> 'tokenization_strategy' -> 'chatml'), 'boolean')
                = 'boolean'
          when 'rough_char_count' then
            (c -> 'tokenization_strategy') - 'type' - 'chars_per_token' = '{}'::jsonb
            and case when jsonb_typeof(c -> 'tokenization_strategy' -> 'chars_per_token') = 'number'
                     then (c -> 'tokenization_strategy' ->> 'chars_per_token')::numeric > 0
                     else false end
          when 'provider_api' then
            (c -> 'tokenization_strategy') - 'type' - 'fallback_chars_per_token' = '{}'::jsonb
            and case when jsonb_typeof(c -> 'tokenization_strategy' -> 'fallback_chars_per_token')
                          = 'number'
                     then (c -> 'tokenization_strategy' ->> 'fallback_chars_per_token')::numeric > 0
                     else false end
          when 'none' then (c -> 'tokenization_strategy') - 'type' = '{}'::jsonb
          else not c ? 'tokenization_strategy'
        end
$$;

create or replace function public.ai_check_config()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  problem text := public.ai_config_error(new.config);
begin
  if problem is not null then
    raise exception 'invalid config for %/%: %', new.provider, new.api_identifier, problem
      using errcode = 'check_violation',
            hint = 'Fix the field named above; see shared/model_config.schema.json for the schema.';
  end if;
  return new;
end
$$;

drop trigger if exists ai_providers_check_config_insert on public.ai_providers;
create trigger ai_providers_check_config_insert
  before insert on public.ai_providers
  for each row when (not public.ai_config_plainly_valid(new.config))
  execute function public.ai_check_config();
drop trigger if exists ai_providers_check_config_update on public.ai_providers;
create trigger ai_providers_check_config_update
  before update of config on public.ai_providers
  for each row when (old.config is distinct from new.config
                     and not public.ai_config_plainly_valid(new.config))
  execute function public.ai_check_config();

revoke execute on function public.ai_config_error(jsonb) from public, anon, authenticated;
revoke execute on function public.ai_check_config() from public, anon, authenticated;
revoke execute on function public.ai_config_plainly_valid(jsonb) from public, anon, authenticated;
grant execute on function public.ai_config_plainly_valid(jsonb) to service_role;
grant execute on function public.ai_config_error(jsonb) to service_role;
