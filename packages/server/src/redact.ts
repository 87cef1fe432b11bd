/** A service URL as it may be shown in logs and the listening line: any password becomes `***`. */
export function redactUrl(url: string): string {
  // user:password@ in the authority (up to the first slash after "//"), the last @ ending it.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^/]*@/i, '$1***@');
}
