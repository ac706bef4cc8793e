-- The keys and indexes of xianjiao's SQLite schema, on the PostgreSQL
-- peer's tables, created after the load; then ANALYZE.
ALTER TABLE campaigns ADD PRIMARY KEY (id);
ALTER TABLE batches ADD PRIMARY KEY (id);
ALTER TABLE batches ADD UNIQUE (campaign_id, ordinal);
ALTER TABLE systems ADD PRIMARY KEY (id);
ALTER TABLE systems ADD UNIQUE (campaign_id, name);
ALTER TABLE orgs ADD PRIMARY KEY (id);
ALTER TABLE orgs ADD UNIQUE (code);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE INDEX orgs_system ON orgs (system_id) WHERE is_unit = 1;
ALTER TABLE org_tree ADD PRIMARY KEY (ancestor, descendant);
CREATE INDEX org_tree_descendant ON org_tree (descendant);
ALTER TABLE members ADD PRIMARY KEY (id);
ALTER TABLE members ADD UNIQUE (id_number);
CREATE INDEX members_org ON members (org_id);
CREATE INDEX members_lost ON members (categories) WHERE left_on IS NULL;
ALTER TABLE body_seats ADD PRIMARY KEY (body_id, member_id);
ALTER TABLE records ADD PRIMARY KEY (id);
ALTER TABLE records ADD UNIQUE (supersedes);
CREATE INDEX records_org ON records (org_id, kind);
CREATE INDEX records_member ON records (member_id, kind);
ALTER TABLE movements ADD PRIMARY KEY (id);
CREATE INDEX movements_member ON movements (member_id, on_date);
ANALYZE;
