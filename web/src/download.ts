// A file from the API (an export) saved by the browser, with its progress:
// the body is read in chunks and onProgress gets the share received (or
// -1 while the size is unknown). Errors are the API's, as ApiError.
import { ApiError } from './api'

export async function download(path: string, fallbackName: string, onProgress: (share: number, bytes: number) => void): Promise<void> {
  let resp: Response
  try {
    resp = await fetch('/api/v1' + path, { credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试', null)
  }
  if (!resp.ok) {
    let msg = '导出失败 (HTTP ' + resp.status + ')'
    let field: string | null = null
    try {
      const e = (await resp.json()) as { error?: { message?: string; field?: string } }
      msg = e.error?.message ?? msg
      field = e.error?.field ?? null
    } catch {
      /* not JSON */
    }
    throw new ApiError(resp.status, 'export', msg, field)
  }
  const total = Number(resp.headers.get('Content-Length') ?? 0)
  const parts: Uint8Array[] = []
  let got = 0
  onProgress(total > 0 ? 0 : -1, 0)
  if (resp.body) {
    const reader = resp.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(value)
      got += value.length
      onProgress(total > 0 ? Math.min(1, got / total) : -1, got)
    }
  } else {
    const b = new Uint8Array(await resp.arrayBuffer())
    parts.push(b)
    got = b.length
  }
  onProgress(1, got)
  const cd = resp.headers.get('Content-Disposition') ?? ''
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) ?? /filename="?([^";]+)"?/i.exec(cd)
  const name = m ? decodeURIComponent(m[1]) : fallbackName
  const blob = new Blob(parts as BlobPart[], { type: resp.headers.get('Content-Type') ?? 'application/octet-stream' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
