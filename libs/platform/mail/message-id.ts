/** The domain of a From address such as `Kindshift <hello@example.org>` or `hello@example.org`. */
export function mailDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? 'localhost';
}

/**
 * A Message-ID under the MAIL_FROM domain, for every mail: the domain the service sends (and signs)
 * as, not the web host, which may be an IP address or an internal name.
 */
export function messageIdFor(localPart: string, mailFrom: string): string {
  return `<${localPart}@${mailDomain(mailFrom)}>`;
}
