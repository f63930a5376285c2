import { generate } from 'selfsigned'

/** A fresh self-signed certificate for localhost and 127.0.0.1, for a test's own TLS server. */
export async function selfSignedCertificate (): Promise<{ key: string, cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }]
  })
  return { key: pems.private, cert: pems.cert }
}
