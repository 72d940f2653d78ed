// The package's errors: an Error whose `name` (and `code`, as amazon-cognito-identity-js has
// it) is Cognito's exception name or ours, with the HTTP `status` of Cognito's answer when
// there was one. The core names every error; these functions only build them.

/** An Error named `name`. */
export function error(name, message, status) {
  const e = new Error(message);
  e.name = name;
  e.code = name;
  if (status !== undefined) e.status = status;
  return e;
}

/** The core's errors arrive as `name \n status \n message`. */
export function fail(text) {
  const [name, status, message] = parts(text, 2);
  return error(name, message, status ? Number(status) : undefined);
}

/** The module trapped (a bug in the core, never a bad input or answer). */
export function stopped(why) {
  const message = `platform: the wasm module stopped (${why}); reload the page, and please report it`;
  return error('PlatformError', message);
}

/** A thrown value as text (`OperationError: ...`), even one whose `toString` throws. */
export function shown(e) {
  try {
    return String(e);
  } catch {
    return 'a value that cannot be shown';
  }
}

/** `text` up to its first `count` newlines, and the rest. */
export function parts(text, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const at = text.indexOf('\n');
    out.push(text.slice(0, at));
    text = text.slice(at + 1);
  }
  out.push(text);
  return out;
}
