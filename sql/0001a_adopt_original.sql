-- Adopts the original Edge Function's `ai_providers` in place, before 0002 would create ours.
-- Runs only when public.ai_providers exists without our bookkeeping (sync_baseline); on a fresh
-- database, or one this project created, it does nothing.
--
-- What it does, and nothing more (the application's columns, foreign keys, policies, triggers and
-- every row's id stay as they are):
--  * adds the columns this project needs (kind, sync_baseline, config_sources, raw_entry, ...);
--  * a prefixed identifier (`openai-gpt-4o`) of a vendor this project syncs becomes the vendor's
--    own id with `provider` filled in, so the first sync updates that row instead of adding a
--    second one; rows of vendors it does not sync, and rows whose unprefixed id is already taken,
--    are left alone (and reported);
--  * config values are kept as an admin's values (baseline `{}`: every field differs from what
--    a sync wrote) until released with sync_release_adopted(); a null config becomes `{}`;
--  * cost rates that are plainly per million tokens (>= 0.001 USD per token, i.e. >= $1,000 per
--    million) are converted to per token and reported, never mixed with per-token rates;
--  * the single-column unique key on api_identifier (different vendors list the same id) is
--    replaced by unique (provider, api_identifier) when no foreign key uses it.
-- Each action is recorded in sync_ai_models.adopted_models and reported (RAISE NOTICE).

create table if not exists sync_ai_models.adopted_models (
  model_id uuid,                             -- null for a change to the table itself
  action text not null,
  detail jsonb not null default '{}'::jsonb,
  adopted_at timestamptz not null default now()
);

do $adopt$
declare
  -- the vendors this project syncs: a row prefixed with one of them is matched to its model
  synced_vendors constant text[] := array[
    'openai', 'anthropic', 'google', 'groq', 'mistral', 'deepseek', 'xai', 'together',
    'openrouter', 'fireworks', 'cohere', 'ollama'];
  -- vendors whose own ids begin with their name (`mistral-large-latest`, `deepseek-chat`): an
  -- id of theirs is prefixed only when the name is doubled (`mistral-mistral-large-latest`)
  self_named constant text[] := array['mistral', 'deepseek'];
  rate_fields constant text[] := array[
    'input_token_cost_rate', 'output_token_cost_rate',
    'cache_read_token_cost_rate', 'cache_write_token_cost_rate'];
  per_million_floor constant numeric := 0.001;
  uniq record;
  line text;
begin
  if to_regclass('public.ai_providers') is null
     or exists (select 1 from information_schema.columns
                 where table_schema = 'public' and table_name = 'ai_providers'
                   and column_name = 'sync_baseline') then
    return;
  end if;
  raise notice 'adopting the existing public.ai_providers in place';

  alter table public.ai_providers
    add column if not exists provider text,
    add column if not exists is_enabled boolean not null default false,
    add column if not exists kind text not null default 'chat'
      check (kind in ('chat', 'embedding', 'image', 'audio', 'moderation', 'other')),
    add column if not exists sync_baseline jsonb,
    add column if not exists config_sources jsonb not null default '{}'::jsonb,
    add column if not exists raw_entry jsonb,
    add column if not exists sync_fingerprint text,
    add column if not exists first_seen_at timestamptz,
    add column if not exists last_seen_at timestamptz,
    add column if not exists last_run_id uuid,
    add column if not exists deactivated_at timestamptz;
  alter table public.ai_providers alter column config set default '{}'::jsonb;

  -- match prefixed identifiers to the vendor models they name
  create temp table adopt_match on commit drop as
  select p.id, p.api_identifier as original, v.vendor,
         substr(p.api_identifier, length(v.vendor) + 2) as bare
    from public.ai_providers p
    join unnest(synced_vendors) as v (vendor)
      on p.api_identifier like v.vendor || '-_%' and coalesce(p.provider, v.vendor) = v.vendor
     and (not v.vendor = any (self_named) or p.api_identifier like v.vendor || '-' || v.vendor || '-_%');
  insert into sync_ai_models.adopted_models (model_id, action, detail)
  select m.id, 'kept_prefixed', jsonb_build_object('api_identifier', m.original,
                                                   'taken_by', t.id)
    from adopt_match m
    join public.ai_providers t on t.provider = m.vendor and t.api_identifier = m.bare;
  delete from adopt_match m
   using public.ai_providers t where t.provider = m.vendor and t.api_identifier = m.bare;
  update public.ai_providers p
     set provider = m.vendor, api_identifier = m.bare
    from adopt_match m where m.id = p.id;
  insert into sync_ai_models.adopted_models (model_id, action, detail)
  select id, 'unprefixed', jsonb_build_object('from', original, 'provider', vendor, 'to', bare)
    from adopt_match;

  -- the rows a sync will merge into: their values are an admin's until released
  insert into sync_ai_models.adopted_models (model_id, action, detail)
  select id, 'config_was_null', '{}'::jsonb
    from public.ai_providers where provider = any (synced_vendors) and config is null;
  update public.ai_providers set config = '{}'::jsonb
   where provider = any (synced_vendors) and config is null;

  insert into sync_ai_models.adopted_models (model_id, action, detail)
  select p.id, 'per_million_rate',
         jsonb_build_object('field', f, 'was', p.config -> f,
                            'now', to_jsonb(trim_scale((p.config ->> f)::numeric / 1000000)))
    from public.ai_providers p, unnest(rate_fields) as f
   where p.provider = any (synced_vendors) and jsonb_typeof(p.config) = 'object'
     and jsonb_typeof(p.config -> f) = 'number'
     and (p.config ->> f)::numeric >= per_million_floor;
  update public.ai_providers p
     set config = p.config || (select jsonb_object_agg(a.detail ->> 'field', a.detail -> 'now')
                                 from sync_ai_models.adopted_models a
                                where a.model_id = p.id and a.action = 'per_million_rate')
   where exists (select 1 from sync_ai_models.adopted_models a
                  where a.model_id = p.id and a.action = 'per_million_rate');

  update public.ai_providers set sync_baseline = '{}'::jsonb
   where provider = any (synced_vendors);
  insert into sync_ai_models.adopted_models (model_id, action, detail)
  select id, 'adopted', jsonb_build_object('provider', provider, 'api_identifier', api_identifier)
    from public.ai_providers where provider = any (synced_vendors);
  insert into sync_ai_models.adopted_models (model_id, action, detail)
  select id, 'left_alone', jsonb_build_object('provider', provider, 'api_identifier', api_identifier)
    from public.ai_providers where provider is null or not provider = any (synced_vendors);

  -- one model per (provider, vendor id): different vendors may list the same id
  for uniq in
    select c.conname from pg_constraint c
     where c.conrelid = 'public.ai_providers'::regclass and c.contype = 'u'
       and c.conkey = array[(select attnum from pg_attribute
                              where attrelid = 'public.ai_providers'::regclass
                                and attname = 'api_identifier')]::int2[]
       and not exists (select 1 from pg_constraint fk where fk.contype = 'f'
                        and fk.confrelid = c.conrelid and fk.conindid = c.conindid)
  loop
    execute format('alter table public.ai_providers drop constraint %I', uniq.conname);
    insert into sync_ai_models.adopted_models (model_id, action, detail)
    values (null, 'unique_key_replaced',
            jsonb_build_object('dropped', uniq.conname,
                               'added', 'ai_providers_provider_api_identifier_key'));
  end loop;
  if not exists (select 1 from pg_constraint
                  where conrelid = 'public.ai_providers'::regclass
                    and conname = 'ai_providers_provider_api_identifier_key') then
    alter table public.ai_providers
      add constraint ai_providers_provider_api_identifier_key unique (provider, api_identifier);
  end if;

  -- the original requires a name; vendors that list none get their id (or keep the old name)
  if exists (select 1 from information_schema.columns
              where table_schema = 'public' and table_name = 'ai_providers'
                and column_name = 'name' and is_nullable = 'NO') then
    create or replace function public.ai_adopted_name_fallback()
    returns trigger language plpgsql security invoker set search_path = '' as $f$
    begin
      if new.name is null then
        new.name := case when tg_op = 'UPDATE' then coalesce(old.name, new.api_identifier)
                         else new.api_identifier end;
      end if;
      return new;
    end
    $f$;
    revoke execute on function public.ai_adopted_name_fallback() from public, anon, authenticated;
    create trigger ai_providers_adopted_name_fallback
      before insert or update on public.ai_providers
      for each row when (new.name is null) execute function public.ai_adopted_name_fallback();
    insert into sync_ai_models.adopted_models (model_id, action, detail)
    values (null, 'name_fallback', '{"trigger": "ai_providers_adopted_name_fallback"}');
  end if;

  for line in
    select format(case action
             when 'adopted' then '%s model(s) of vendors this project syncs: their config values '
                                 'count as an admin''s until released (release-adopted)'
             when 'unprefixed' then '%s prefixed identifier(s) matched to the vendor''s own id'
             when 'kept_prefixed' then '%s prefixed identifier(s) kept: the vendor''s id is taken'
             when 'left_alone' then '%s model(s) of vendors this project does not sync: left alone'
             when 'config_was_null' then '%s null config(s) set to {}'
             when 'per_million_rate' then '%s cost rate(s) per million tokens converted to per token'
             when 'name_fallback' then 'name is required: a model listed without one gets its id'
                                       ' (%s trigger)'
             when 'unique_key_replaced' then 'unique key on api_identifier replaced by '
                                             '(provider, api_identifier) (%s)'
             else action || ': %s' end, count(*))
           || case when action in ('per_million_rate', 'kept_prefixed')
                   then ': ' || string_agg(detail::text, ', ') else '' end
      from sync_ai_models.adopted_models group by action order by action
  loop
    raise notice 'adopted: %', line;
  end loop;
end
$adopt$;
