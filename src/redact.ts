// Removes credentials from any text before it is printed, logged or stored.

const registered = new Set<string>();

/** Registers a secret value (an access key, a secret key, a token) so that `redact` hides it everywhere. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

const PATTERNS: RegExp[] = [
  /(aws_secret_access_key|secret_access_key|secretAccessKey|SECRET|session_token|sessionToken|SESSION_TOKEN)(\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s,)]+)/gi,
  /(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=([^&\s"']+)/gi,
  /(Authorization:?\s*)(AWS4-HMAC-SHA256[^\r\n"]*|Bearer\s+\S+)/gi,
  // DuckDB's CREATE SECRET (... KEY_ID 'x', SECRET 'y', SESSION_TOKEN 'z'), as echoed in SQL errors.
  /\b(key_id|secret|session_token)(\s+)'(?:[^']|'')*'/gi,
  // AWS access key ids.
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
];

/** Returns `text` with every registered secret and every credential-looking assignment replaced by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join('***');
  out = out.replace(PATTERNS[0] as RegExp, (_m, k: string, sep: string) => `${k}${sep}***`);
  out = out.replace(PATTERNS[1] as RegExp, (_m, k: string) => `${k}=***`);
  out = out.replace(PATTERNS[2] as RegExp, (_m, k: string) => `${k}***`);
  out = out.replace(PATTERNS[3] as RegExp, (_m, k: string, sep: string) => `${k}${sep}'***'`);
  out = out.replace(PATTERNS[4] as RegExp, '***');
  return out;
}
