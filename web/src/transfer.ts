// Files to and from the API with progress: uploads of rosters (the file is
// the request body) and downloads of exports and templates. fetch() reports
// no upload progress, so these use XMLHttpRequest; errors are the API's own
// {"error":{...}} as ApiError, like api.ts.
import { ApiError, session } from './api'

// Where a transfer is: 'upload' while the file goes out (loaded/total
// bytes), 'server' while the server reads and checks it, 'download' while
// the answer comes back.
export interface Progress {
  phase: 'upload' | 'server' | 'download'
  percent: number | null
}

export type OnProgress = (p: Progress) => void

function pctOf(e: ProgressEvent): number | null {
  return e.lengthComputable && e.total > 0 ? Math.round((e.loaded / e.total) * 100) : null
}

function errorOf(xhr: XMLHttpRequest, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string; field?: string | null } } | null)?.error
  return new ApiError(
    xhr.status,
    e?.code ?? 'http_' + xhr.status,
    e?.message ?? '请求失败 (HTTP ' + xhr.status + ')',
    e?.field ?? null
  )
}

function send(
  method: string,
  path: string,
  body: Blob | null,
  responseType: XMLHttpRequestResponseType,
  onProgress?: OnProgress
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, '/api/v1' + path)
    xhr.responseType = responseType
    xhr.withCredentials = true
    if (method !== 'GET' && session.current) xhr.setRequestHeader('X-CSRF-Token', session.current.csrf_token)
    if (body) xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress({ phase: 'upload', percent: pctOf(e) })
      xhr.upload.onload = () => onProgress({ phase: 'server', percent: null })
      xhr.onprogress = (e) => onProgress({ phase: 'download', percent: pctOf(e) })
    }
    xhr.onload = () => {
      // The session ended while the page was open: back to 登录, as api.ts
      // does for every other request.
      if (xhr.status === 401 && session.current) {
        session.current = null
        session.expired = true
        window.location.assign('/login?expired=1')
      }
      resolve(xhr)
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试', null))
    xhr.send(body)
  })
}

// POST a file; the JSON answer, or for status 400 with a list of rejected
// rows, that answer too (the caller shows the rows): { status, data }.
export async function uploadFile<T>(
  path: string,
  file: Blob,
  onProgress?: OnProgress
): Promise<{ status: number; data: T }> {
  const xhr = await send('POST', path, file, 'text', onProgress)
  let data: unknown = null
  try {
    data = xhr.responseText ? JSON.parse(xhr.responseText) : null
  } catch {
    throw new ApiError(xhr.status, 'bad_reply', '服务器应答无法解析 (HTTP ' + xhr.status + ')', null)
  }
  if (xhr.status >= 200 && xhr.status < 300) return { status: xhr.status, data: data as T }
  if (xhr.status === 400 && data && Array.isArray((data as { problems?: unknown }).problems))
    return { status: 400, data: data as T }
  throw errorOf(xhr, data)
}

// The file name the server gave (RFC 6266 filename*=UTF-8''...).
function fileName(xhr: XMLHttpRequest, fallback: string): string {
  const d = xhr.getResponseHeader('Content-Disposition') ?? ''
  const m = /filename\*=UTF-8''([^;]+)/i.exec(d)
  if (m) {
    try {
      return decodeURIComponent(m[1])
    } catch {
      /* keep the fallback */
    }
  }
  return fallback
}

// An API error answer read from a Blob (downloads ask for blobs).
async function blobError(xhr: XMLHttpRequest): Promise<ApiError> {
  let data: unknown = null
  try {
    data = JSON.parse(await (xhr.response as Blob).text())
  } catch {
    /* not JSON */
  }
  return errorOf(xhr, data)
}

// Fetch a file (GET, or POST with a body) and hand it to the browser as a
// download; resolves with the file name.
export async function downloadFile(
  method: 'GET' | 'POST',
  path: string,
  fallbackName: string,
  body: Blob | null = null,
  onProgress?: OnProgress
): Promise<string> {
  const xhr = await send(method, path, body, 'blob', onProgress)
  if (xhr.status < 200 || xhr.status >= 300) throw await blobError(xhr)
  const type = xhr.getResponseHeader('Content-Type') ?? ''
  if (type.startsWith('application/json')) {
    // an answer instead of a file (the error file route says "no problems")
    throw new ApiError(xhr.status, 'no_file', '没有可下载的文件', null)
  }
  const name = fileName(xhr, fallbackName)
  const url = URL.createObjectURL(xhr.response as Blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
  return name
}
