-- The benchmark's question in PostgreSQL: the same query as
-- sqlite-question.sql (read its notes), in PostgreSQL's dialect (jsonb
-- operators, booleans). Rows of the last statement, as there:
--   'F', unit, gate, 0, 0, 0
--   'S', 系统, gate, counted, passed, exempt
--   'A', 系统, '*', units, units passing every gate, 0
SET work_mem = '512MB';
SET client_min_messages = warning;

DROP TABLE IF EXISTS unit_result;

CREATE TEMP TABLE unit_result AS
WITH
cur AS (
	SELECT r.kind, r.org_id, r.member_id, r.payload
	FROM records r
	WHERE r.kind IN ('study_attendance', 'study_notes', 'reflection',
	                 'contact_attempt', 'lecture', 'discussion',
	                 'mobilisation')
	  AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.id)
	  AND (r.payload ->> 'voided') IS DISTINCT FROM 'true'
),
agg AS MATERIALIZED (
	SELECT coalesce(member_id, -org_id) AS subj,
	  sum(CASE WHEN kind = 'study_attendance' THEN round(
	      (payload ->> 'hours')::numeric * 100)::bigint END) AS hours,
	  sum(CASE WHEN kind = 'study_notes' THEN round(
	      (payload ->> 'zishu')::numeric * 100)::bigint END) AS notes,
	  max(CASE WHEN kind = 'reflection' THEN round(
	      (payload ->> 'zishu')::numeric * 100)::bigint END) AS refl,
	  count(*) FILTER (WHERE kind = 'contact_attempt') AS contacts,
	  count(*) FILTER (WHERE kind = 'lecture'
	      AND payload ->> 'type' = '党课') AS lectures,
	  count(*) FILTER (WHERE kind = 'lecture'
	      AND payload ->> 'type' = '形势报告会') AS reports,
	  count(*) FILTER (WHERE kind = 'mobilisation') AS mobs,
	  sum(CASE WHEN kind = 'discussion' THEN round(
	      (payload ->> 'participants')::numeric * 100)::bigint
	      END) AS part,
	  sum(CASE WHEN kind = 'discussion' THEN round(
	      (payload ->> 'expected')::numeric * 100)::bigint
	      END) AS expct
	FROM cur
	GROUP BY 1
),
mem AS (
	SELECT m.id, t.ancestor AS unit, m.categories AS cats,
	       coalesce(m.absence_months, 0) AS away
	FROM members m
	JOIN org_tree t ON t.descendant = m.org_id
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	WHERE m.left_on IS NULL
),
ms AS (
	SELECT mem.unit,
	  CASE WHEN cats & 4 <> 0 THEN 0
	       WHEN cats & 8 <> 0 AND away >= 6 THEN 0
	       WHEN cats & 16 <> 0 THEN
	            CASE WHEN coalesce(a.contacts, 0) >= 1 THEN 2 ELSE 1 END
	       WHEN coalesce(a.hours, 0) >= 4000 THEN 2 ELSE 1 END AS s_hours,
	  CASE WHEN cats & (4 | 16) <> 0 THEN 0
	       WHEN cats & 8 <> 0 AND away >= 6 THEN 0
	       WHEN coalesce(a.notes, 0) >= 1000000 THEN 2 ELSE 1 END
	       AS s_notes,
	  CASE WHEN cats & (4 | 16) <> 0 THEN 0
	       WHEN coalesce(a.refl, 0) >= 300000 THEN 2 ELSE 1 END AS s_refl
	FROM mem LEFT JOIN agg a ON a.subj = mem.id
),
um AS (
	SELECT unit,
	  count(*) FILTER (WHERE s_hours > 0) AS c_hours,
	  count(*) FILTER (WHERE s_hours = 2) AS p_hours,
	  count(*) FILTER (WHERE s_hours = 0) AS x_hours,
	  count(*) FILTER (WHERE s_notes > 0) AS c_notes,
	  count(*) FILTER (WHERE s_notes = 2) AS p_notes,
	  count(*) FILTER (WHERE s_notes = 0) AS x_notes,
	  count(*) FILTER (WHERE s_refl > 0) AS c_refl,
	  count(*) FILTER (WHERE s_refl = 2) AS p_refl,
	  count(*) FILTER (WHERE s_refl = 0) AS x_refl
	FROM ms GROUP BY unit
),
ou AS (
	SELECT t.ancestor AS unit, sum(a.lectures) AS lectures,
	       sum(a.reports) AS reports, sum(a.mobs) AS mobs
	FROM agg a
	JOIN org_tree t ON t.descendant = -a.subj
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	WHERE a.subj < 0
	GROUP BY t.ancestor
),
bv AS (
	SELECT b.id AS branch, coalesce(sum(a.part), 0) AS num,
	       coalesce(sum(a.expct), 0) AS den
	FROM orgs b
	JOIN org_tree t ON t.ancestor = b.id
	LEFT JOIN agg a ON a.subj = -t.descendant
	WHERE b.type = 4
	GROUP BY b.id
),
bu AS (
	SELECT t.ancestor AS unit, count(*) AS c_disc,
	       count(*) FILTER (WHERE den > 0 AND num >= den) AS p_disc
	FROM bv
	JOIN org_tree t ON t.descendant = bv.branch
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	GROUP BY t.ancestor
)
SELECT u.id AS unit, u.system_id AS sys,
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
  coalesce(reports, 0) >= 2 AS g_reports,
  coalesce(c_disc, 0) AS c_disc, coalesce(p_disc, 0) AS p_disc,
  coalesce(p_disc, 0) >= coalesce(c_disc, 0) AS g_disc,
  coalesce(mobs, 0) >= 1 AS g_mob
FROM orgs u
LEFT JOIN um ON um.unit = u.id
LEFT JOIN ou ON ou.unit = u.id
LEFT JOIN bu ON bu.unit = u.id
WHERE u.is_unit = 1;

SELECT 'F', unit, 'study_hours', 0, 0, 0 FROM unit_result WHERE NOT g_hours
UNION ALL
SELECT 'F', unit, 'study_notes', 0, 0, 0 FROM unit_result WHERE NOT g_notes
UNION ALL
SELECT 'F', unit, 'reflection', 0, 0, 0 FROM unit_result WHERE NOT g_refl
UNION ALL
SELECT 'F', unit, 'party_lecture', 0, 0, 0 FROM unit_result
WHERE NOT g_lecture
UNION ALL
SELECT 'F', unit, 'situation_reports', 0, 0, 0 FROM unit_result
WHERE NOT g_reports
UNION ALL
SELECT 'F', unit, 'discussion_participation', 0, 0, 0 FROM unit_result
WHERE NOT g_disc
UNION ALL
SELECT 'F', unit, 'mobilisation', 0, 0, 0 FROM unit_result WHERE NOT g_mob
UNION ALL
SELECT 'S', sys, 'study_hours', sum(c_hours), sum(p_hours), sum(x_hours)
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'study_notes', sum(c_notes), sum(p_notes), sum(x_notes)
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'reflection', sum(c_refl), sum(p_refl), sum(x_refl)
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'party_lecture', count(*), count(*) FILTER (WHERE g_lecture),
       0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'situation_reports', count(*),
       count(*) FILTER (WHERE g_reports), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'discussion_participation', sum(c_disc), sum(p_disc), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'mobilisation', count(*), count(*) FILTER (WHERE g_mob), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'A', sys, '*', count(*),
  count(*) FILTER (WHERE g_hours AND g_notes AND g_refl AND g_lecture
                   AND g_reports AND g_disc AND g_mob), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys;
