import ipaddr from 'ipaddr.js'

/**
 * The address a client is counted under by the throttles. IPv4 as it is, also when it arrives as
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`); IPv6 by its /64 network, because one home or host is usually
 * given a whole /64 and could otherwise use a fresh address for every guess.
 */
export function clientAddress (ip: string): string {
  if (!ipaddr.isValid(ip)) return ip
  const address = ipaddr.process(ip)
  if (address.kind() === 'ipv4') return address.toString()
  const network = (address as ipaddr.IPv6).parts.slice(0, 4)
  return `${new ipaddr.IPv6([...network, 0, 0, 0, 0]).toString()}/64`
}
