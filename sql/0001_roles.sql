-- Roles the catalog's policies name. Supabase has them already; on plain Postgres we create
-- them (nologin: a connection pool or PostgREST switches into them with `set role`).
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    -- As on Supabase: the service role bypasses RLS; the policies below still name it so that
    -- a service role without bypassrls works the same.
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

grant usage on schema public to anon, authenticated, service_role;
