/**
 * Builds one unmasked, final text frame. RFC 6455 §5.2: "The length of the
 * 'Payload data', in bytes: if 0-125, that is the payload length. If 126,
 * the following 2 bytes interpreted as a 16-bit unsigned integer are the
 * payload length. If 127, the following 8 bytes interpreted as a 64-bit
 * unsigned integer [...] are the payload length." Servers must not mask
 * (§5.1), so one frame can be written unchanged to every subscriber.
 */
export function buildTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  let header: Buffer;

  if (length < 126) {
    header = Buffer.from([0x81, length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}
