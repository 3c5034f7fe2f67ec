-- RLS on every table, the adoption record too (0001a creates it; 0032 grants service_role select
-- and insert): service_role reads and appends to it, no other role reaches it.
alter table sync_ai_models.adopted_models enable row level security;

drop policy if exists "Service role can read adoption records" on sync_ai_models.adopted_models;
create policy "Service role can read adoption records"
  on sync_ai_models.adopted_models for select to service_role using (true);
drop policy if exists "Service role can add adoption records" on sync_ai_models.adopted_models;
create policy "Service role can add adoption records"
  on sync_ai_models.adopted_models for insert to service_role with check (true);
