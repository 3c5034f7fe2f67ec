-- The original Edge Function's catalog as its users have it (written from its description):
-- prefixed identifiers, nullable provider and config, application columns with a foreign key,
-- a table referencing ai_providers.id, its own RLS policy and updated_at trigger.
do $$ begin
  create role authenticated nologin;
exception when duplicate_object then null;
end $$;

create table public.subscription_plans (tier_level int primary key, name text not null);
insert into public.subscription_plans values (0, 'free'), (1, 'pro');

create table public.ai_providers (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  api_identifier text not null unique,
  description text,
  is_active boolean not null default true,
  config jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  provider text,
  is_enabled boolean not null default true,
  is_default_embedding boolean not null default false,
  is_default_generation boolean not null default false,
  min_plan_tier_level int references public.subscription_plans (tier_level)
);

create table public.chat_messages (
  id bigint generated always as identity primary key,
  ai_provider_id uuid not null references public.ai_providers (id),
  content text not null
);

alter table public.ai_providers enable row level security;
create policy "Allow authenticated read access to active providers"
  on public.ai_providers for select to authenticated using (is_active);

create function public.handle_updated_at() returns trigger language plpgsql as $f$
begin
  new.updated_at := now();
  return new;
end
$f$;
create trigger handle_ai_providers_updated_at before update on public.ai_providers
  for each row execute function public.handle_updated_at();
