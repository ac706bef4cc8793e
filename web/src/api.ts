// The JSON API over the same origin. Every error the API returns is
// {"error":{"code","message","field"}}; ApiError carries it so a form can
// show the Chinese message next to the field it names.
import { reactive } from 'vue'

export interface Grant {
  role: string
  role_name: string
  org_id: number | null
  system_id: number | null
}

export interface SessionReply {
  user: { id: number; login: string; display_name: string; member_id: number | null }
  roles: string[]
  grants: Grant[]
  csrf_token: string
}

export class ApiError extends Error {
  status: number
  code: string
  field: string | null
  data: unknown // the whole reply, for refusals that list more (problems)
  constructor(status: number, code: string, message: string, field: string | null, data: unknown = null) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
    this.data = data
  }
}

export const session = reactive<{ current: SessionReply | null; expired: boolean }>({
  current: null,
  expired: false
})

// Set by main.ts: where to go when the API says the session is gone.
let onUnauthenticated: () => void = () => {}
export function setUnauthenticatedHandler(f: () => void): void {
  onUnauthenticated = f
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && session.current) headers['X-CSRF-Token'] = session.current.csrf_token
  let resp: Response
  try {
    resp = await fetch('/api/v1' + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试', null)
  }
  let data: unknown = null
  const text = await resp.text()
  if (text !== '') {
    try {
      data = JSON.parse(text)
    } catch {
      throw new ApiError(resp.status, 'bad_reply', '服务器应答无法解析 (HTTP ' + resp.status + ')', null)
    }
  }
  if (!resp.ok) {
    const e = (data as { error?: { code?: string; message?: string; field?: string | null } } | null)?.error
    const err = new ApiError(
      resp.status,
      e?.code ?? 'http_' + resp.status,
      e?.message ?? '请求失败 (HTTP ' + resp.status + ')',
      e?.field ?? null,
      data
    )
    // A session that expired while the page was open: back to the login
    // page (but not for the login request itself).
    if (resp.status === 401 && path !== '/session' && session.current) {
      session.current = null
      session.expired = true
      onUnauthenticated()
    }
    throw err
  }
  return data as T
}

export async function login(loginName: string, password: string): Promise<SessionReply> {
  const reply = await api<SessionReply>('POST', '/session', { login: loginName, password })
  session.current = reply
  session.expired = false
  return reply
}

export async function restore(): Promise<SessionReply | null> {
  try {
    session.current = await api<SessionReply>('GET', '/session')
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) session.current = null
    else throw e
  }
  return session.current
}

export async function logout(): Promise<void> {
  try {
    await api('DELETE', '/session')
  } finally {
    session.current = null
  }
}

export function hasRole(...roles: string[]): boolean {
  return !!session.current && session.current.roles.some((r) => roles.includes(r))
}

// Where each role starts: the office, supervision groups and unit offices on
// the dashboard, a branch secretary on 学习动员 entry, a member on 我的.
export function homeFor(s: SessionReply | null): string {
  if (!s) return '/login'
  if (s.roles.some((r) => r === 'office' || r === 'supervisor' || r === 'unit')) return '/dashboard'
  if (s.roles.includes('secretary')) return '/study'
  if (s.user.member_id !== null) return '/me'
  return '/login'
}

export function pct(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1) + '%'
}

export function today(): string {
  const d = new Date()
  const m = String(d.getMonth() + 1).padStart(2, '0')
  const day = String(d.getDate()).padStart(2, '0')
  return `${d.getFullYear()}-${m}-${day}`
}
