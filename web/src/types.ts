// Shapes of the API replies the pages read (see docs/openapi.json).
export interface Stage {
  id: string
  name: string
}
export interface Transition {
  state: string
  state_name: string
  deadline?: string | null
  overdue_days?: number
  override?: unknown
  open_remedies?: number
}
export interface UnitRequirement {
  id: string
  name: string
  gate: boolean
  pass: boolean
  share: number
}
export interface UnitStatus {
  id: number
  code: string
  name: string
  system: string
  batch: number
  stage: Stage
  gates: number
  gates_passed: number
  ready: boolean
  completion: number
  failing: string[]
  requirements: UnitRequirement[]
  transition?: Transition
}
export interface SystemRequirement {
  id: string
  name: string
  units: number
  units_passed: number
  counted: number
  passed: number
}
export interface SystemStatus {
  id: number
  name: string
  units: number
  ready: number
  requirements: SystemRequirement[]
}
export interface StatusReply {
  campaign: string
  as_of: string | null
  stage: Stage
  records: number
  units: UnitStatus[]
  systems: SystemStatus[]
}
export interface Counts {
  counted: number
  passed: number
  exempt: number
  pass: boolean
}
export interface ExplainRequirement {
  id: string
  name: string
  scope: string
  kind: string
  gate: boolean
  pass: boolean
  threshold: string
  compare: string
  unit: string
  value?: { value: string; threshold: string; compare: string; pass: boolean }
  subjects?: Counts
  failing_branches?: (Counts & { id: number; name: string })[]
  failing_members?: {
    id: number
    name: string
    branch: number
    branch_name: string
    value: string
    threshold: string
    compare: string
    rule: string
  }[]
  more_members?: number
}
export interface ExplainReply {
  as_of: string | null
  unit: UnitStatus
  requirements: ExplainRequirement[]
}
export interface ProgressReply {
  member_id: number
  name: string
  branch_id: number
  stage: Stage
  requirements: {
    id: string
    name: string
    kind: string
    gate: boolean
    state: string
    value: string
    threshold: string
    compare: string
    unit: string
    due?: string // the day this requirement is due (YYYY-MM-DD)
  }[]
  stage_deadline?: string // the day the unit's stage ends
  // the plan's escalation ladders (佩戴党徽): the member's count and step
  escalations?: {
    kind: string
    name: string
    field: string
    value: string
    count: number
    level: number
    step: string
    steps: string[]
  }[]
}
export interface MemberRow {
  id: number
  org_id: number
  name: string
  gender: string
  status: string
  categories: string[]
}
