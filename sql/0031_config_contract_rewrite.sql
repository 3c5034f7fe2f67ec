-- Rewrites configs (and merge baselines) that earlier versions of this project wrote into the
-- shape of 0030: tokenization_strategy key names of the original application, api_identifier in
-- the config, no null limits or null optional keys. The same rewrite is applied to the config and
-- to its baseline, so a field the sync owned stays sync-owned and no field looks hand-edited.
-- Rows this project never synced (first_seen_at is null: e.g. adopted rows) are left alone.

create or replace function public.ai_config_from_earlier(
  p_config jsonb, p_provider text, p_api_identifier text
)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  select case when jsonb_typeof(p_config) <> 'object' then p_config else
    (p_config - 'tokenization_strategy'
       -- the original's optional keys: absent, never null
       - (select coalesce(array_agg(k), '{}')
            from unnest(array['api_identifier', 'context_window_tokens', 'hard_cap_output_tokens',
                              'provider_max_input_tokens', 'provider_max_output_tokens', 'status',
                              'features', 'notes', 'default_temperature', 'default_top_p']) as k
           where p_config -> k = 'null'::jsonb))
    || jsonb_build_object('api_identifier',
                          coalesce(nullif(p_config -> 'api_identifier', 'null'::jsonb),
                                   to_jsonb(p_api_identifier)))
    || case when p_config ? 'tokenization_strategy' then jsonb_build_object(
         'tokenization_strategy',
         case s ->> 'type'
           when 'tiktoken' then jsonb_strip_nulls(jsonb_build_object(
             'type', 'tiktoken',
             'tiktoken_encoding_name', coalesce(s -> 'tiktoken_encoding_name', s -> 'encoding'),
             'is_chatml_model', coalesce(s -> 'is_chatml_model', s -> 'chatml', 'true'::jsonb),
             'api_identifier_for_tokenization', s -> 'api_identifier_for_tokenization'))
           when 'rough_char_count' then jsonb_build_object(
             'type', 'rough_char_count',
             'chars_per_token_ratio', coalesce(s -> 'chars_per_token_ratio', s -> 'chars_per_token'))
           when 'provider_api' then
             case when p_provider = 'anthropic'
                  then jsonb_build_object('type', 'anthropic_tokenizer', 'model', p_api_identifier)
                  else jsonb_build_object('type', 'google_gemini_tokenizer',
                                          'chars_per_token_ratio', s -> 'fallback_chars_per_token')
             end
           else s
         end)
       else '{}'::jsonb end
  end
  from (select p_config -> 'tokenization_strategy' as s) as strategy
$$;

do $$
declare
  rewritten int;
  refused text;
begin
  create temp table ai_rewrite on commit drop as
  select p.id, p.provider, p.api_identifier,
         public.ai_config_from_earlier(p.config, p.provider, p.api_identifier) as config,
         case when jsonb_typeof(p.sync_baseline) = 'object'
              then public.ai_config_from_earlier(p.sync_baseline, p.provider, p.api_identifier)
              -- a baseline that is not an object (broken by hand): every value counts as edited
              when p.sync_baseline is not null then '{}'::jsonb end as baseline
    from public.ai_providers p
   where p.first_seen_at is not null;
  delete from ai_rewrite r using public.ai_providers p
   where p.id = r.id and (r.config, r.baseline) is not distinct from (p.config, p.sync_baseline);

  -- what still breaks the contract after the rewrite (a hand edit) stays as it is, reported
  select string_agg(format('%s/%s: %s', provider, api_identifier,
                           public.ai_config_error(config)), '; ')
    into refused
    from ai_rewrite where public.ai_config_error(config) is not null
                       or public.ai_config_error(coalesce(baseline, '{}')) is not null;
  if refused is not null then
    raise notice 'left as they are (fix by hand): %', refused;
  end if;

  -- a migration, not a person's edit: keep it out of the manual-edit log
  perform set_config('sync_ai_models.in_sync', 'on', true);
  update public.ai_providers p
     set config = r.config, sync_baseline = r.baseline
    from ai_rewrite r
   where r.id = p.id and public.ai_config_error(r.config) is null
     and public.ai_config_error(coalesce(r.baseline, '{}')) is null;
  get diagnostics rewritten = row_count;
  perform set_config('sync_ai_models.in_sync', '', true);
  raise notice 'rewrote % config(s) written by earlier versions into the current shape', rewritten;
end
$$;

revoke execute on function public.ai_config_from_earlier(jsonb, text, text)
  from public, anon, authenticated;
