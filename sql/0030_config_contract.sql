-- The config contract of the original application's AiModelExtendedConfig (ai_catalog's
-- ModelConfig): its tokenization_strategy variants and key names, api_identifier in the config,
-- limits absent (never null) when unknown, its optional keys status, features, notes,
-- default_temperature and default_top_p. Replaces the checks of 0005; the same number rules as
-- the pydantic model, decided on the exact decimal: a cost has at most 15 significant digits and
-- is 0 or within 1e-300..1e300; a count is a whole number from 1 to 2^53 - 1; a chars-per-token
-- ratio is within 1e-300..1e300; a price tier holds start_tokens and rates (input, output and the
-- two cache rates: a long-context tier bills cached tokens at its own rate). Also validates the
-- merge baseline (sync_baseline).

-- Plain SQL without `set search_path`, so that Postgres inlines them into the triggers' WHEN.
create or replace function public.ai_json_rate_ok(v jsonb)
returns boolean language sql immutable parallel safe as $$
  select case when jsonb_typeof(v) = 'number' then
    (v #>> '{}')::numeric >= 0
    and ((v #>> '{}')::numeric = 0
         or (v #>> '{}')::numeric between 1e-300 and 1e300)
    and length(trim(both '0' from replace(trim_scale((v #>> '{}')::numeric)::text, '.', ''))) <= 15
  else false end
$$;

create or replace function public.ai_json_count_ok(v jsonb)
returns boolean language sql immutable parallel safe as $$
  select case when jsonb_typeof(v) = 'number' then
    (v #>> '{}')::numeric = trunc((v #>> '{}')::numeric)
    and (v #>> '{}')::numeric between 1 and 9007199254740991
  else false end
$$;

create or replace function public.ai_json_ratio_ok(v jsonb)
returns boolean language sql immutable parallel safe as $$
  select case when jsonb_typeof(v) = 'number'
    then (v #>> '{}')::numeric between 1e-300 and 1e300 else false end
$$;

create or replace function public.ai_json_between_ok(v jsonb, upper numeric)
returns boolean language sql immutable parallel safe as $$
  select case when jsonb_typeof(v) = 'number'
    then (v #>> '{}')::numeric between 0 and upper else false end
$$;

create or replace function public.ai_json_text_ok(v jsonb)
returns boolean language sql immutable parallel safe as $$
  select coalesce(jsonb_typeof(v) = 'string' and v #>> '{}' <> '', false)
$$;

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
  -- the original's optional keys: a value or no key, never null
  absent_when_unknown constant text[] := array[
    'api_identifier', 'context_window_tokens', 'hard_cap_output_tokens',
    'provider_max_input_tokens', 'provider_max_output_tokens', 'status', 'features', 'notes',
    'default_temperature', 'default_top_p'];
  strategy_keys constant jsonb := '{
    "tiktoken": ["type", "tiktoken_encoding_name", "is_chatml_model",
                 "api_identifier_for_tokenization"],
    "rough_char_count": ["type", "chars_per_token_ratio"],
    "anthropic_tokenizer": ["type", "model"],
    "google_gemini_tokenizer": ["type", "chars_per_token_ratio"],
    "none": ["type"]}';
  encodings constant text[] := array['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];
  statuses constant text[] := array['active', 'beta', 'deprecated', 'experimental'];
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

  foreach f in array absent_when_unknown loop
    if p_config -> f = 'null'::jsonb then
      return format('config.%s must be left out when unknown, not null', f);
    end if;
  end loop;

  if p_config ? 'api_identifier' and not public.ai_json_text_ok(p_config -> 'api_identifier') then
    return format('config.api_identifier must be the model''s id (a non-empty string), got %s',
                  p_config -> 'api_identifier');
  end if;

  foreach f in array rate_fields loop
    v := p_config -> f;
    if v is not null and v <> 'null'::jsonb and not public.ai_json_rate_ok(v) then
      return format('config.%s must be a non-negative number (USD per token, at most 15 '
                    'significant digits, 0 or 1e-300..1e300) or null, got %s', f, v);
    end if;
  end loop;

  foreach f in array count_fields loop
    v := p_config -> f;
    if v is not null and not public.ai_json_count_ok(v) then
      return format('config.%s must be a positive whole number of tokens (absent when '
                    'unknown), got %s', f, v);
    end if;
  end loop;

  if jsonb_typeof(p_config -> 'hard_cap_output_tokens') = 'number'
     and jsonb_typeof(p_config -> 'provider_max_output_tokens') = 'number'
     and (p_config ->> 'hard_cap_output_tokens')::numeric
         > (p_config ->> 'provider_max_output_tokens')::numeric then
    return format('config.hard_cap_output_tokens (%s) must not exceed provider_max_output_tokens (%s)',
                  p_config -> 'hard_cap_output_tokens', p_config -> 'provider_max_output_tokens');
  end if;

  if p_config ? 'status' and not coalesce(p_config ->> 'status' = any (statuses)
                                         and jsonb_typeof(p_config -> 'status') = 'string', false) then
    return format('config.status must be one of %s, got %s',
                  array_to_string(statuses, ', '), p_config -> 'status');
  end if;

  v := p_config -> 'features';
  if v is not null then
    if jsonb_typeof(v) <> 'array' then
      return format('config.features must be a list of strings, got %s', v);
    end if;
    select e into tier from jsonb_array_elements(v) as e where not public.ai_json_text_ok(e) limit 1;
    if tier is not null then
      return format('config.features must hold non-empty strings, got %s', tier);
    end if;
  end if;

  if p_config ? 'notes' and jsonb_typeof(p_config -> 'notes') <> 'string' then
    return format('config.notes must be text, got %s', p_config -> 'notes');
  end if;
  if p_config ? 'default_temperature'
     and not public.ai_json_between_ok(p_config -> 'default_temperature', 2) then
    return format('config.default_temperature must be a number from 0 to 2, got %s',
                  p_config -> 'default_temperature');
  end if;
  if p_config ? 'default_top_p' and not public.ai_json_between_ok(p_config -> 'default_top_p', 1) then
    return format('config.default_top_p must be a number from 0 to 1, got %s',
                  p_config -> 'default_top_p');
  end if;

  v := p_config -> 'deprecation_date';
  if v is not null and v <> 'null'::jsonb then
    if jsonb_typeof(v) <> 'string' or (v #>> '{}') !~ '^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$' then
      return format('config.deprecation_date must be a date as YYYY-MM-DD or null, got %s', v);
    end if;
    begin
      perform (v #>> '{}')::date;
    exception when others then
      return format('config.deprecation_date must be a real day, got %s', v);
    end;
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
      if not public.ai_json_count_ok(tier -> 'start_tokens') then
        return format('config.price_tiers[%s].start_tokens must be a positive whole number, got %s',
                      i, coalesce(tier -> 'start_tokens', 'null'::jsonb));
      end if;
      foreach f in array rate_fields loop
        if tier ? f and tier -> f <> 'null'::jsonb and not public.ai_json_rate_ok(tier -> f) then
          return format('config.price_tiers[%s].%s must be a non-negative number or null, got %s',
                        i, f, tier -> f);
        end if;
      end loop;
      select k into f from jsonb_object_keys(tier) as k
       where k <> 'start_tokens' and k <> all (rate_fields) limit 1;
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
    strategy_type := case when jsonb_typeof(strategy -> 'type') = 'string'
                          then strategy ->> 'type' end;
    if strategy_type is null or not strategy_keys ? strategy_type then
      return format('config.tokenization_strategy.type must be one of tiktoken, rough_char_count, '
                    'anthropic_tokenizer, google_gemini_tokenizer, none, got %s',
                    coalesce(strategy -> 'type', 'null'::jsonb));
    end if;
    select k into f from jsonb_object_keys(strategy) as k
     where not (strategy_keys -> strategy_type) ? k limit 1;
    if f is not null then
      return format('config.tokenization_strategy has a key %s that a %s strategy does not take',
                    f, strategy_type);
    end if;
    if strategy_type = 'tiktoken' then
      if jsonb_typeof(strategy -> 'tiktoken_encoding_name') is distinct from 'string'
         or not (strategy ->> 'tiktoken_encoding_name') = any (encodings) then
        return format('config.tokenization_strategy.tiktoken_encoding_name must be one of %s, got %s',
                      array_to_string(encodings, ', '),
                      coalesce(strategy -> 'tiktoken_encoding_name', 'null'::jsonb));
      end if;
      if strategy ? 'is_chatml_model' and jsonb_typeof(strategy -> 'is_chatml_model') <> 'boolean' then
        return format('config.tokenization_strategy.is_chatml_model must be true or false, got %s',
                      strategy -> 'is_chatml_model');
      end if;
      v := strategy -> 'api_identifier_for_tokenization';
      if v is not null and v <> 'null'::jsonb and not public.ai_json_text_ok(v) then
        return format('config.tokenization_strategy.api_identifier_for_tokenization must be a '
                      'model id, got %s', v);
      end if;
    elsif strategy_type = 'anthropic_tokenizer' then
      if not public.ai_json_text_ok(strategy -> 'model') then
        return format('config.tokenization_strategy.model must be a Claude model id, got %s',
                      coalesce(strategy -> 'model', 'null'::jsonb));
      end if;
    elsif strategy_type in ('rough_char_count', 'google_gemini_tokenizer') then
      if not public.ai_json_ratio_ok(strategy -> 'chars_per_token_ratio') then
        return format('config.tokenization_strategy.chars_per_token_ratio must be a number '
                      'above 0 (1e-300..1e300), got %s',
                      coalesce(strategy -> 'chars_per_token_ratio', 'null'::jsonb));
      end if;
    end if;
  end if;

  return null;
end
$$;

-- The common case, decided in one expression: a config without price tiers whose every known
-- field is plainly right. Sound, not complete: true means valid; false means "ask
-- ai_config_error" (tests/test_model_config.py checks it).
create or replace function public.ai_config_plainly_valid(c jsonb)
returns boolean
language sql
immutable
parallel safe
as $$
  select jsonb_typeof(c) = 'object'
    and coalesce(c -> 'price_tiers', 'null'::jsonb) = 'null'::jsonb
    and not c ? 'deprecation_date' and not c ? 'default_temperature' and not c ? 'default_top_p'
    and (not c ? 'api_identifier' or public.ai_json_text_ok(c -> 'api_identifier'))
    and (coalesce(c -> 'input_token_cost_rate', 'null'::jsonb) = 'null'::jsonb
         or public.ai_json_rate_ok(c -> 'input_token_cost_rate'))
    and (coalesce(c -> 'output_token_cost_rate', 'null'::jsonb) = 'null'::jsonb
        or public.ai_json_rate_ok(c -> 'output_token_cost_rate'))
    and (coalesce(c -> 'cache_read_token_cost_rate', 'null'::jsonb) = 'null'::jsonb
        or public.ai_json_rate_ok(c -> 'cache_read_token_cost_rate'))
    and (coalesce(c -> 'cache_write_token_cost_rate', 'null'::jsonb) = 'null'::jsonb
        or public.ai_json_rate_ok(c -> 'cache_write_token_cost_rate'))
    and (not c ? 'context_window_tokens' or public.ai_json_count_ok(c -> 'context_window_tokens'))
    and (not c ? 'hard_cap_output_tokens' or public.ai_json_count_ok(c -> 'hard_cap_output_tokens'))
    and (not c ? 'provider_max_input_tokens'
         or public.ai_json_count_ok(c -> 'provider_max_input_tokens'))
    and (not c ? 'provider_max_output_tokens'
         or public.ai_json_count_ok(c -> 'provider_max_output_tokens'))
    and case when c ? 'hard_cap_output_tokens' and c ? 'provider_max_output_tokens'
             then (c ->> 'hard_cap_output_tokens')::numeric
                  <= (c ->> 'provider_max_output_tokens')::numeric
             else true end
    and (not c ? 'status' or c -> 'status' in ('"active"', '"beta"', '"deprecated"',
                                                 '"experimental"'))
    and (not c ? 'features'
         or (jsonb_typeof(c -> 'features') = 'array'
             and not jsonb_path_exists(c -> 'features', '$[*] ? (@.type() != "string" || @ == "")')))
    and (not c ? 'notes' or jsonb_typeof(c -> 'notes') = 'string')
    and case c -> 'tokenization_strategy' ->> 'type'
          when 'tiktoken' then
            (c -> 'tokenization_strategy') - 'type' - 'tiktoken_encoding_name' - 'is_chatml_model'
              - 'api_identifier_for_tokenization' = '{}'::jsonb
            and c -> 'tokenization_strategy' -> 'tiktoken_encoding_name'
                in ('"o200k_base"', '"cl100k_base"', '"p50k_base"', '"r50k_base"')
            and coalesce(jsonb_typeof(c -> 'tokenization_strategy' -> 'is_chatml_model'),
                         'boolean') = 'boolean'
            and (coalesce(c -> 'tokenization_strategy' -> 'api_identifier_for_tokenization',
                          'null'::jsonb) = 'null'::jsonb
                 or public.ai_json_text_ok(
                      c -> 'tokenization_strategy' -> 'api_identifier_for_tokenization'))
          when 'rough_char_count' then
            (c -> 'tokenization_strategy') - 'type' - 'chars_per_token_ratio' = '{}'::jsonb
            and public.ai_json_ratio_ok(c -> 'tokenization_strategy' -> 'chars_per_token_ratio')
          when 'google_gemini_tokenizer' then
            (c -> 'tokenization_strategy') - 'type' - 'chars_per_token_ratio' = '{}'::jsonb
            and public.ai_json_ratio_ok(c -> 'tokenization_strategy' -> 'chars_per_token_ratio')
          when 'anthropic_tokenizer' then
            (c -> 'tokenization_strategy') - 'type' - 'model' = '{}'::jsonb
            and public.ai_json_text_ok(c -> 'tokenization_strategy' -> 'model')
          when 'none' then (c -> 'tokenization_strategy') - 'type' = '{}'::jsonb
          else not c ? 'tokenization_strategy'
        end
$$;

-- The merge baseline is what a sync wrote: it must be a config too (or null, never synced).
-- A broken one would make every later sync of its vendor, and every estimate, fail.
create or replace function public.ai_check_baseline()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  problem text := public.ai_config_error(new.sync_baseline);
begin
  if problem is not null then
    raise exception 'invalid sync_baseline for %/%: %', new.provider, new.api_identifier,
      replace(problem, 'config.', 'sync_baseline.')
      using errcode = 'check_violation',
            hint = 'sync_baseline holds what the last sync wrote; set it to null or to a valid config.';
  end if;
  return new;
end
$$;

drop trigger if exists ai_providers_check_baseline_insert on public.ai_providers;
create trigger ai_providers_check_baseline_insert
  before insert on public.ai_providers
  for each row when (new.sync_baseline is not null
                     and not public.ai_config_plainly_valid(new.sync_baseline))
  execute function public.ai_check_baseline();
drop trigger if exists ai_providers_check_baseline_update on public.ai_providers;
create trigger ai_providers_check_baseline_update
  before update of sync_baseline on public.ai_providers
  for each row when (new.sync_baseline is not null
                     and old.sync_baseline is distinct from new.sync_baseline
                     and not public.ai_config_plainly_valid(new.sync_baseline))
  execute function public.ai_check_baseline();

-- Overridden fields of a row whose config or baseline is not an object (written before the
-- checks above) are "every field of the config": never an error.
create or replace function public.ai_overridden_fields(p_config jsonb, p_baseline jsonb)
returns text[]
language sql
immutable
security invoker
set search_path = ''
as $$
  select coalesce(array_agg(k order by k), '{}')
  from (select jsonb_object_keys(case when jsonb_typeof(p_config) = 'object'
                                      then p_config else '{}'::jsonb end)
        union
        select jsonb_object_keys(case when jsonb_typeof(p_baseline) = 'object'
                                      then p_baseline else '{}'::jsonb end)) as keys (k)
  where coalesce(p_config -> k, 'null'::jsonb)
        <> coalesce(case when jsonb_typeof(p_baseline) = 'object' then p_baseline -> k end,
                    'null'::jsonb)
$$;

revoke execute on function public.ai_check_baseline() from public, anon, authenticated;
do $$
declare
  f text;
begin
  foreach f in array array['ai_json_rate_ok(jsonb)', 'ai_json_count_ok(jsonb)',
                           'ai_json_ratio_ok(jsonb)', 'ai_json_between_ok(jsonb, numeric)',
                           'ai_json_text_ok(jsonb)'] loop
    execute format('revoke execute on function public.%s from public, anon, authenticated', f);
    execute format('grant execute on function public.%s to service_role', f);
  end loop;
end
$$;
