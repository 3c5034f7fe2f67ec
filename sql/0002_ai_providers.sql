-- The catalog: one row per (provider, vendor model id). Sync never deletes a row.
create table if not exists public.ai_providers (
  id uuid primary key default gen_random_uuid(),
  provider text not null check (provider ~ '^[a-z0-9][a-z0-9_-]*$'),
  api_identifier text not null check (length(api_identifier) between 1 and 512),
  name text,
  description text,
  kind text not null default 'chat'
    check (kind in ('chat', 'embedding', 'image', 'audio', 'moderation', 'other')),
  is_active boolean not null default true,
  -- admin switch: sync sets it only when it inserts a model (on when priced), never afterwards
  is_enabled boolean not null default false,
  config jsonb not null default '{}'::jsonb,
  -- sync bookkeeping
  sync_baseline jsonb,                       -- the config the last sync wrote (merge baseline)
  config_sources jsonb not null default '{}'::jsonb,  -- field -> where its value came from
  raw_entry jsonb,                           -- the vendor's own entry, as last seen
  sync_fingerprint text,                     -- hash of the entry the last sync sent (see 0007)
  first_seen_at timestamptz,
  last_seen_at timestamptz,
  last_run_id uuid,
  deactivated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ai_providers_provider_api_identifier_key unique (provider, api_identifier)
)
-- room on each page for a new version of every row: a sync that changes a whole vendor updates
-- in place (HOT, no index writes) instead of moving every row
with (fillfactor = 50);

create index if not exists ai_providers_active_idx
  on public.ai_providers (provider) where is_active;

comment on table public.ai_providers is
  'Catalog of AI models kept in step with the vendors'' list-models APIs by sync-ai-models.';
comment on column public.ai_providers.sync_baseline is
  'The config the last sync wrote: a field whose config value differs from it was edited by a person.';

alter table public.ai_providers enable row level security;

drop policy if exists "Authenticated users can read active enabled models" on public.ai_providers;
create policy "Authenticated users can read active enabled models"
  on public.ai_providers for select to authenticated
  using (is_active and is_enabled);

drop policy if exists "Service role can read models" on public.ai_providers;
create policy "Service role can read models"
  on public.ai_providers for select to service_role using (true);
drop policy if exists "Service role can insert models" on public.ai_providers;
create policy "Service role can insert models"
  on public.ai_providers for insert to service_role with check (true);
drop policy if exists "Service role can update models" on public.ai_providers;
create policy "Service role can update models"
  on public.ai_providers for update to service_role using (true) with check (true);
drop policy if exists "Service role can delete models" on public.ai_providers;
create policy "Service role can delete models"
  on public.ai_providers for delete to service_role using (true);

revoke all on table public.ai_providers from public, anon, authenticated;
grant select on table public.ai_providers to authenticated;
grant select, insert, update, delete on table public.ai_providers to service_role;

create or replace function public.ai_touch_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

drop trigger if exists ai_providers_touch_updated_at on public.ai_providers;
-- only real content changes move updated_at (a sync that merely saw the model again does not)
create trigger ai_providers_touch_updated_at
  before update on public.ai_providers
  for each row
  when ((old.config, old.name, old.description, old.kind, old.is_active, old.is_enabled)
        is distinct from
        (new.config, new.name, new.description, new.kind, new.is_active, new.is_enabled))
  execute function public.ai_touch_updated_at();

revoke execute on function public.ai_touch_updated_at() from public, anon, authenticated;
