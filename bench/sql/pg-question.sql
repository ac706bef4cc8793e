-- The benchmark's question in PostgreSQL: the same query as
-- sqlite-question.sql (read its notes there), in PostgreSQL's dialect
-- (jsonb operators, booleans, FILTER). Rows of the last statement:
--   'F', unit, gate, 0, 0, 0
--   'S', 系统, gate, counted, passed, exempt
--   'A', 系统, '*', units, units passing every gate, 0
SET work_mem = '512MB';
SET client_min_messages = warning;

DROP TABLE IF EXISTS agg;
DROP TABLE IF EXISTS unit_result;

CREATE TEMP TABLE agg AS
SELECT coalesce(member_id, -org_id) AS subj,
  sum(round((payload ->> 'hours')::numeric * 100)::bigint)
      FILTER (WHERE kind = 'study_attendance') AS hours,
  sum(round((payload ->> 'zishu')::numeric * 100)::bigint)
      FILTER (WHERE kind = 'study_notes') AS notes,
  max(round((payload ->> 'zishu')::numeric * 100)::bigint)
      FILTER (WHERE kind = 'reflection') AS refl,
  count(*) FILTER (WHERE kind = 'contact_attempt') AS contacts,
  count(*) FILTER (WHERE kind = 'mailed_materials') AS mailed,
  count(*) FILTER (WHERE kind = 'mobilisation') AS mobs,
  count(*) FILTER (WHERE kind = 'lecture'
                   AND payload ->> 'type' = '党课') AS lectures,
  count(*) FILTER (WHERE kind = 'lecture'
                   AND payload ->> 'type' = '辅导课') AS tutorials,
  count(*) FILTER (WHERE kind = 'lecture'
                   AND payload ->> 'type' = '先进事迹报告会') AS models,
  count(*) FILTER (WHERE kind = 'lecture'
                   AND payload ->> 'type' = '形势报告会') AS reports,
  sum(round((payload ->> 'expected')::numeric * 100)::bigint)
      FILTER (WHERE kind = 'discussion') AS expct,
  sum(round((payload ->> 'participants')::numeric * 100)::bigint)
      FILTER (WHERE kind = 'discussion') AS part,
  sum(round((payload ->> 'speakers')::numeric * 100)::bigint)
      FILTER (WHERE kind = 'discussion') AS speak
FROM records r
WHERE r.kind IN ('study_attendance', 'study_notes', 'reflection',
                 'contact_attempt', 'mailed_materials', 'mobilisation',
                 'lecture', 'discussion')
  AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = r.id)
  AND (r.payload ->> 'voided') IS DISTINCT FROM 'true'
GROUP BY 1;
ALTER TABLE agg ADD PRIMARY KEY (subj);
ANALYZE agg;

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
ms AS (
	SELECT mem.unit,
	  CASE WHEN cats & 4 <> 0 THEN 0
	       WHEN cats & 16 <> 0 THEN
	            CASE WHEN coalesce(a.contacts, 0) >= 1 THEN 2 ELSE 1 END
	       WHEN cats & 8 <> 0 AND away >= 6 THEN
	            CASE WHEN coalesce(a.mailed, 0) >= 1 THEN 2 ELSE 1 END
	       WHEN coalesce(a.hours, 0) >= 4000 THEN 2 ELSE 1 END AS s_hours,
	  CASE WHEN cats & 4 <> 0 THEN 0
	       WHEN cats & 16 <> 0 THEN
	            CASE WHEN coalesce(a.contacts, 0) >= 1 THEN 2 ELSE 1 END
	       WHEN coalesce(a.notes, 0) >= 1000000 THEN 2 ELSE 1 END
	       AS s_notes,
	  CASE WHEN cats & 4 <> 0 THEN 0
	       WHEN cats & 16 <> 0 THEN
	            CASE WHEN coalesce(a.contacts, 0) >= 1 THEN 2 ELSE 1 END
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
	SELECT t.ancestor AS unit, sum(a.mobs) AS mobs,
	       sum(a.lectures) AS lectures, sum(a.tutorials) AS tutorials,
	       sum(a.models) AS models, sum(a.reports) AS reports
	FROM agg a
	JOIN org_tree t ON t.descendant = -a.subj
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	WHERE a.subj < 0
	GROUP BY t.ancestor
),
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
	       count(*) FILTER (WHERE expct > 0 AND part >= expct) AS p_att,
	       count(*) FILTER (WHERE part > 0 AND speak >= part) AS p_spk
	FROM bv
	JOIN org_tree t ON t.descendant = bv.branch
	JOIN orgs u ON u.id = t.ancestor AND u.is_unit = 1
	GROUP BY t.ancestor
)
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
SELECT 'S', sys, 'learn_mobilisation', count(*),
       count(*) FILTER (WHERE g_mob), 0
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
SELECT 'S', sys, 'learn_party_lecture', count(*),
       count(*) FILTER (WHERE g_lecture), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_tutorial', count(*),
       count(*) FILTER (WHERE g_tutorial), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_model_report', count(*),
       count(*) FILTER (WHERE g_model), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_situation_reports', count(*),
       count(*) FILTER (WHERE g_reports), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_discussion_attendance', sum(c_disc), sum(p_att), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'S', sys, 'learn_discussion_speaking', sum(c_disc), sum(p_spk), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys
UNION ALL
SELECT 'A', sys, '*', count(*),
  count(*) FILTER (WHERE g_mob AND g_hours AND g_notes AND g_refl
                   AND g_lecture AND g_tutorial AND g_model AND g_reports
                   AND g_att AND g_spk), 0
FROM unit_result WHERE sys IS NOT NULL GROUP BY sys;
