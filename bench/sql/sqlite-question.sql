-- The benchmark's question in SQLite (bench/README.md), written by hand for
-- the ten gating requirements of stage learn in plans/2005-xianjiao.yaml,
-- over xianjiao's own schema (src/store/sql-sqlite.c). engine_bench runs
-- these statements in order and reads the rows of the last one:
--   'F', unit, gate, 0, 0, 0           the unit fails the gate
--   'S', 系统, gate, counted, passed, exempt
--   'A', 系统, '*', units, units passing every gate, 0
--
-- What counts, as the engine counts it (include/xianjiao/engine.h):
--   * records not superseded by a later record, and not withdrawals
--     (a correction whose payload says "voided": true);
--   * members as they stand now (left_on IS NULL), in the unit of their
--     current branch; a member's records are those with its member_id,
--     whichever branch entered them;
--   * an organisation's records: those on any organisation in its subtree
--     (the closure table org_tree);
--   * numbers in hundredths (the engine's centi-units), so sums are exact.

DROP TABLE IF EXISTS temp.agg;
DROP TABLE IF EXISTS temp.unit_result;

-- One pass over the records that count: per member (subj > 0) and per
-- organisation (subj < 0), every value a gate reads. Keyed by subj, so the
-- joins below are look-ups.
CREATE TEMP TABLE agg (subj INTEGER PRIMARY KEY, hours, notes, refl,
	contacts, mailed, mobs, lectures, tutorials, models, reports,
	expct, part, speak);
INSERT INTO agg
SELECT coalesce(member_id, -org_id),
  sum(CASE WHEN kind = 'study_attendance' THEN CAST(round(
      json_extract(payload, '$.hours') * 100) AS INTEGER) END),
  sum(CASE WHEN kind = 'study_notes' THEN CAST(round(
      json_extract(payload, '$.zishu') * 100) AS INTEGER) END),
  max(CASE WHEN kind = 'reflection' THEN CAST(round(
      json_extract(payload, '$.zishu') * 100) AS INTEGER) END),
  sum(kind = 'contact_attempt'),
  sum(kind = 'mailed_materials'),
  sum(kind = 'mobilisation'),
  sum(kind = 'lecture' AND json_extract(payload, '$.type') = '党课'),
  sum(kind = 'lecture' AND json_extract(payload, '$.type') = '辅导课'),
  sum(kind = 'lecture'
      AND json_extract(payload, '$.type') = '先进事迹报告会'),
  sum(kind = 'lecture' AND json_extract(payload, '$.type') = '形势报告会'),
  sum(CASE WHEN kind = 'discussion' THEN CAST(round(
      json_extract(payload, '$.expected') * 100) AS INTEGER) END),
  sum(CASE WHEN kind = 'discussion' THEN CAST(round(
      json_extract(payload, '$.participants') * 100) AS INTEGER) END),
  sum(CASE WHEN kind = 'discussion' THEN CAST(round(
      json_extract(payload, '$.speakers') * 100) AS INTEGER) END)
FROM records r
WHERE r.kind IN ('study_attendance', 'study_notes', 'reflection',
                 'contact_attempt', 'mailed_materials', 'mobilisation',
                 'lecture', 'discussion')
  AND r.id NOT IN (SELECT supersedes FROM records
                   WHERE supersedes IS NOT NULL)
  AND json_extract(r.payload, '$.voided') IS NOT 1
GROUP BY 1;

CREATE TEMP TABLE unit_result AS
WITH
mem AS (
	SELECT m.id, t.ancestor AS unit, m.categories AS cats,
	       coalesce(m.absence_months, 0) AS away
	FROM members m
	JOIN org_tree t ON t.descendant = m.org_id
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	WHERE m.left_on IS NULL
),
-- Each member's state per member gate: 0 exempt, 1 fails, 2 passes. The
-- plan's treatments, the first that matches applies (categories are
-- MCAT_BIT bits: 4 年老体弱, 8 流动党员, 16 失去联系):
--   年老体弱: exempt from all three;
--   失去联系: held to at least one contact_attempt instead;
--   流动党员 away 6 months or more: for the hours, at least one
--   mailed_materials instead.
ms AS (
	SELECT mem.unit,
	  CASE WHEN cats & 4 THEN 0
	       WHEN cats & 16 THEN 1 + (coalesce(a.contacts, 0) >= 1)
	       WHEN cats & 8 AND away >= 6
	            THEN 1 + (coalesce(a.mailed, 0) >= 1)
	       ELSE 1 + (coalesce(a.hours, 0) >= 4000) END AS s_hours,
	  CASE WHEN cats & 4 THEN 0
	       WHEN cats & 16 THEN 1 + (coalesce(a.contacts, 0) >= 1)
	       ELSE 1 + (coalesce(a.notes, 0) >= 1000000) END AS s_notes,
	  CASE WHEN cats & 4 THEN 0
	       WHEN cats & 16 THEN 1 + (coalesce(a.contacts, 0) >= 1)
	       ELSE 1 + (coalesce(a.refl, 0) >= 300000) END AS s_refl
	FROM mem LEFT JOIN agg a ON a.subj = mem.id
),
um AS (
	SELECT unit,
	  sum(s_hours > 0) AS c_hours, sum(s_hours = 2) AS p_hours,
	  sum(s_hours = 0) AS x_hours,
	  sum(s_notes > 0) AS c_notes, sum(s_notes = 2) AS p_notes,
	  sum(s_notes = 0) AS x_notes,
	  sum(s_refl > 0) AS c_refl, sum(s_refl = 2) AS p_refl,
	  sum(s_refl = 0) AS x_refl
	FROM ms GROUP BY unit
),
-- Unit gates: the org records in each unit's subtree.
ou AS (
	SELECT t.ancestor AS unit, sum(a.mobs) AS mobs,
	       sum(a.lectures) AS lectures, sum(a.tutorials) AS tutorials,
	       sum(a.models) AS models, sum(a.reports) AS reports
	FROM agg a
	JOIN org_tree t ON t.descendant = -a.subj
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	WHERE a.subj < 0
	GROUP BY t.ancestor
),
-- Branch gates: participants / expected and speakers / participants over
-- each branch's subtree; a ratio with nothing below the line is 0 (fails).
bv AS (
	SELECT b.id AS branch, coalesce(sum(a.expct), 0) AS expct,
	       coalesce(sum(a.part), 0) AS part,
	       coalesce(sum(a.speak), 0) AS speak
	FROM orgs b
	JOIN org_tree t ON t.ancestor = b.id
	LEFT JOIN agg a ON a.subj = -t.descendant
	WHERE b.type = 4
	GROUP BY b.id
),
bu AS (
	SELECT t.ancestor AS unit, count(*) AS c_disc,
	       sum(expct > 0 AND part >= expct) AS p_att,
	       sum(part > 0 AND speak >= part) AS p_spk
	FROM bv
	JOIN org_tree t ON t.descendant = bv.branch
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	GROUP BY t.ancestor
)
-- Per unit: counts and whether it passes. A unit passes a member or
-- branch gate when passing / counted >= the share (1 for all of these:
-- 一个不漏); with nothing to count it passes.
SELECT u.id AS unit, u.system_id AS sys,
  coalesce(mobs, 0) >= 1 AS g_mob,
  coalesce(c_hours, 0) AS c_hours, coalesce(p_hours, 0) AS p_hours,
  coalesce(x_hours, 0) AS x_hours,
  coalesce(p_hours, 0) >= coalesce(c_hours, 0) AS g_hours,
  coalesce(c_notes, 0) AS c_notes, coalesce(p_notes, 0) AS p_notes,
  coalesce(x_notes, 0) AS x_notes,
  coalesce(p_notes, 0) >= coalesce(c_notes, 0) AS g_notes,
  coalesce(c_refl, 0) AS c_refl, coalesce(p_refl, 0) AS p_refl,
  coalesce(x_refl, 0) AS x_refl,
  coalesce(p_refl, 0) >= coalesce(c_refl, 0) AS g_refl,
  coalesce(lectures, 0) >= 1 AS g_lecture,
  coalesce(tutorials, 0) >= 1 AS g_tutorial,
  coalesce(models, 0) >= 1 AS g_model,
  coalesce(reports, 0) >= 2 AS g_reports,
  coalesce(c_disc, 0) AS c_disc,
  coalesce(p_att, 0) AS p_att,
  coalesce(p_att, 0) >= coalesce(c_disc, 0) AS g_att,
  coalesce(p_spk, 0) AS p_spk,
  coalesce(p_spk, 0) >= coalesce(c_disc, 0) AS g_spk
FROM orgs u
LEFT JOIN um ON um.unit = u.id
LEFT JOIN ou ON ou.unit = u.id
LEFT JOIN bu ON bu.unit = u.id
WHERE u.is_unit = 1;

SELECT 'F', unit, 'learn_mobilisation', 0, 0, 0 FROM unit_result
WHERE NOT g_mob
UNION ALL
SELECT 'F', unit, 'learn_hours', 0, 0, 0 FROM unit_result WHERE NOT g_hours
UNION ALL
SELECT 'F', unit, 'learn_notes', 0, 0, 0 FROM unit_result WHERE NOT g_notes
UNION ALL
SELECT 'F', unit, 'learn_reflection', 0, 0, 0 FROM unit_result
WHERE NOT g_refl
UNION ALL
SELECT 'F', unit, 'learn_party_lecture', 0, 0, 0 FROM unit_result
WHERE NOT g_lecture
UNION ALL
SELECT 'F', unit, 'learn_tutorial', 0, 0, 0 FROM unit_result
WHERE NOT g_tutorial
UNION ALL
SELECT 'F', unit, 'learn_model_report', 0, 0, 0 FROM unit_result
WHERE NOT g_model
UNION ALL
SELECT 'F', unit, 'learn_situation_reports', 0, 0, 0 FROM unit_result
WHERE NOT g_reports
UNION ALL
SELECT 'F', unit, 'learn_discussion_attendance', 0, 0, 0 FROM unit_result
WHERE NOT g_att
UNION ALL
SELECT 'F', unit, 'learn_discussion_speaking', 0, 0, 0 FROM unit_result
WHERE NOT g_spk
UNION ALL
SELECT 'S', sys, 'learn_mobilisation', count(*), sum(g_mob), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_hours', sum(c_hours), sum(p_hours), sum(x_hours)
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_notes', sum(c_notes), sum(p_notes), sum(x_notes)
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_reflection', sum(c_refl), sum(p_refl), sum(x_refl)
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_party_lecture', count(*), sum(g_lecture), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_tutorial', count(*), sum(g_tutorial), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_model_report', count(*), sum(g_model), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_situation_reports', count(*), sum(g_reports), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_discussion_attendance', sum(c_disc), sum(p_att), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_discussion_speaking', sum(c_disc), sum(p_spk), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'A', sys, '*', count(*),
  sum(g_mob AND g_hours AND g_notes AND g_refl AND g_lecture AND g_tutorial
      AND g_model AND g_reports AND g_att AND g_spk), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys;
