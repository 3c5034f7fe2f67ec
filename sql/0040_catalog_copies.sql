-- The last good copy of each maintained catalog fetched at run time (models.dev), so that an
-- outage of that catalog, or no network, changes nothing: the sync falls back to this copy.
-- One row per source; only service_role reads or writes it, through the two functions below.
create table if not exists public.ai_catalog_copies (
  source text primary key check (length(source) between 1 and 100),
  document jsonb not null check (jsonb_typeof(document) = 'object'),
  etag text,
  fetched_at timestamptz not null default now()
);

alter table public.ai_catalog_copies enable row level security;

drop policy if exists "Service role can read catalog copies" on public.ai_catalog_copies;
create policy "Service role can read catalog copies"
  on public.ai_catalog_copies for select to service_role using (true);
drop policy if exists "Service role can insert catalog copies" on public.ai_catalog_copies;
create policy "Service role can insert catalog copies"
  on public.ai_catalog_copies for insert to service_role with check (true);
drop policy if exists "Service role can update catalog copies" on public.ai_catalog_copies;
create policy "Service role can update catalog copies"
  on public.ai_catalog_copies for update to service_role using (true) with check (true);

revoke all on table public.ai_catalog_copies from public, anon, authenticated;
grant select, insert, update on table public.ai_catalog_copies to service_role;

-- Keeps a copy that was fetched and read successfully (replacing the previous one).
create or replace function public.sync_save_catalog_copy(
  p_source text,
  p_document jsonb,
  p_etag text default null
)
returns void
language sql
security invoker
set search_path = ''
as $$
  insert into public.ai_catalog_copies (source, document, etag, fetched_at)
  values (p_source, p_document, p_etag, now())
  on conflict (source) do update
    set document = excluded.document, etag = excluded.etag, fetched_at = excluded.fetched_at;
$$;

-- The last good copy as {document, etag, fetched_at}, or null when there is none.
create or replace function public.sync_load_catalog_copy(p_source text)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select jsonb_build_object('document', c.document, 'etag', c.etag, 'fetched_at', c.fetched_at)
    from public.ai_catalog_copies c
   where c.source = p_source;
$$;

revoke execute on function public.sync_save_catalog_copy(text, jsonb, text)
  from public, anon, authenticated;
revoke execute on function public.sync_load_catalog_copy(text) from public, anon, authenticated;
grant execute on function public.sync_save_catalog_copy(text, jsonb, text) to service_role;
grant execute on function public.sync_load_catalog_copy(text) to service_role;
