// The plan in force (GET /plan), loaded once per session: the entry forms
// are drawn from its record kinds, fields and lists of values, and the
// opinion forms from the lists the server sends beside it.
import { api } from './api'

export interface MustBe {
  categories: string[]
  same_unit: boolean
  required: boolean
  when?: { field: string; value: string }
}
export interface PlanField {
  name: string
  type: 'number' | 'zishu' | 'text' | 'enum' | 'state' | 'member' | 'date'
  required: boolean
  // an enum whose value is a list of its values (a session's materials)
  multiple?: boolean
  values?: string[]
  must_be?: MustBe
}
export interface PlanKind {
  id: string
  name: string
  subject: 'member' | 'org'
  fields: PlanField[]
}
export interface PlanStage {
  id: string
  name: string
  order: number
  after: string[]
  lookback: { id: string; text: string }[]
}
export interface PlanBatch {
  ordinal: number
  name: string
  stages: Record<string, { start: string; end: string }>
}
export interface PlanRequirement {
  id: string
  name: string
  stage: string
  scope: string
  kind: string
  gate: boolean
  record: string
  metric: string
  unit: string
}
export interface PlanReply {
  campaign: string
  source: string
  record_kinds: PlanKind[]
  stages: PlanStage[]
  batches: PlanBatch[]
  requirements: PlanRequirement[]
  opinions: {
    channels: string[]
    targets: string[]
    stages: string[]
    categories: string[]
    dimensions: string[]
    person_targets: string[]
  }
}

let cached: Promise<PlanReply> | null = null

export function loadPlan(): Promise<PlanReply> {
  if (!cached) {
    cached = api<PlanReply>('GET', '/plan')
    cached.catch(() => {
      cached = null
    })
  }
  return cached
}

// Field names as a user reads them. The plan names fields in English ids;
// these are their labels (a field without one shows its id).
const fieldLabels: Record<string, string> = {
  hours: '学时（小时）',
  session: '学习内容',
  makeup: '补课',
  start: '开始时间（HH:MM）',
  reason: '原因',
  zishu: '字数',
  paper: '纸质稿',
  title: '题目',
  note: '说明',
  method: '联系方式',
  compliant: '佩戴党徽',
  item: '事项',
  counterpart: '谈心对象',
  state: '状态',
  opinion: '评议意见',
  type: '类型',
  speaker: '主讲人',
  topic: '讨论题目',
  expected: '应参加人数',
  participants: '实际参加人数',
  speakers: '发言人数',
  channel: '渠道',
  quantity: '数量',
  meeting: '会议',
  satisfied: '满意票数',
  total: '总票数',
  category: '类别',
  stage: '阶段',
  materials: '学习材料'
}

export function fieldLabel(name: string): string {
  return fieldLabels[name] ?? name
}

// A payload value as text for the record lists.
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v.length > 40 ? v.slice(0, 40) + '…' : v
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (Array.isArray(v)) return v.map(showValue).join('、')
  return String(v)
}

// The payload of a form for kind: fields left empty are not sent (the
// server says which are required); a 字数 goes as the text or as the
// paper copy's count, as the user chose. Nothing typed is altered.
export function payloadOf(kind: PlanKind, form: Record<string, any>, modes: Record<string, 'text' | 'paper'>) {
  const out: Record<string, unknown> = {}
  for (const f of kind.fields) {
    const v = form[f.name]
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue
    if (f.type === 'zishu') out[f.name] = modes[f.name] === 'paper' ? Number(v) : String(v)
    else if (f.type === 'number') out[f.name] = Number(v)
    else out[f.name] = v
  }
  return out
}

// A form filled from a stored payload (for a correction).
export function formFrom(kind: PlanKind, payload: Record<string, unknown> | null): { form: Record<string, any>; modes: Record<string, 'text' | 'paper'> } {
  const form: Record<string, any> = {}
  const modes: Record<string, 'text' | 'paper'> = {}
  for (const f of kind.fields) {
    const v = payload?.[f.name]
    if (f.type === 'zishu') modes[f.name] = typeof v === 'number' ? 'paper' : 'text'
    form[f.name] = v === undefined ? (f.type === 'number' || f.type === 'zishu' ? undefined : '') : v
  }
  return { form, modes }
}
