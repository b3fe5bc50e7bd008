//! The ROP buffer (RopSize, RopsList, ServerObjectHandleTable) and the RPC_HEADER_EXT that
//! carries it in an Execute RopBuffer.

use crate::binary::{BinError, NoTrace, Reader};

/// RPC_HEADER_EXT Flags.
pub type RpcExtFlags = u16;
pub const RPC_EXT_COMPRESSED: RpcExtFlags = 0x0001;
pub const RPC_EXT_XOR_MAGIC: RpcExtFlags = 0x0002;
pub const RPC_EXT_LAST: RpcExtFlags = 0x0004;

/// A ROP buffer: the concatenated ROPs and the handle table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RopBuffer<'a> {
    /// RopsList: the ROP requests or responses, back to back.
    pub rops: &'a [u8],
    pub handles: Vec<u32>,
}

/// Reads RopSize, RopsList and the handle table (the rest, in u32s).
pub fn read_rop_buffer(buf: &[u8]) -> Result<RopBuffer<'_>, BinError> {
    let mut trace = NoTrace;
    let mut r = Reader::new(buf, &mut trace);
    let size_at = r.pos();
    let size = r.u16("RopSize")? as usize;
    if size < 2 {
        return Err(r.malformed("ropsize-too-small", "RopSize", size_at));
    }
    let rops = r.bytes("RopsList", size - 2)?;
    if !r.remaining().is_multiple_of(4) {
        return Err(r.malformed("handle-table-not-u32s", "ServerObjectHandleTable", r.pos()));
    }
    let mut handles = Vec::with_capacity(r.remaining() / 4);
    while r.remaining() > 0 {
        handles.push(r.u32("ServerObjectHandle")?);
    }
    Ok(RopBuffer { rops, handles })
}

/// Writes a ROP buffer. Err when the RopsList does not fit RopSize's 16 bits.
pub fn write_rop_buffer(rops: &[u8], handles: &[u32]) -> Result<Vec<u8>, String> {
    let size = u16::try_from(rops.len() + 2)
        .map_err(|_| format!("a RopsList of {} bytes does not fit RopSize", rops.len()))?;
    let mut out = Vec::with_capacity(rops.len() + 2 + handles.len() * 4);
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(rops);
    for h in handles {
        out.extend_from_slice(&h.to_le_bytes());
    }
    Ok(out)
}

/// Wraps `payload` in one RPC_HEADER_EXT with Last set (and XorMagic when asked).
pub fn write_rpc_ext(payload: &[u8], xor_magic: bool) -> Result<Vec<u8>, String> {
    let size = u16::try_from(payload.len())
        .map_err(|_| format!("a payload of {} bytes does not fit Size", payload.len()))?;
    let flags = RPC_EXT_LAST | if xor_magic { RPC_EXT_XOR_MAGIC } else { 0 };
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    if xor_magic {
        out.extend(payload.iter().map(|b| b ^ 0xA5));
    } else {
        out.extend_from_slice(payload);
    }
    Ok(out)
}

/// Reads a chain of RPC_HEADER_EXT + payload pairs and returns the payloads joined, with
/// XorMagic undone. Compressed payloads are refused (`rpc-ext-compressed`): oxconf asks for
/// none (Execute Flags NoCompression), so a compressed one breaks that request.
pub fn read_rpc_ext(buf: &[u8]) -> Result<Vec<u8>, BinError> {
    let mut trace = NoTrace;
    let mut r = Reader::new(buf, &mut trace);
    let mut out = Vec::new();
    loop {
        let at = r.pos();
        let version = r.u16("Version")?;
        if version != 0 {
            return Err(r.malformed("rpc-ext-version", "Version", at));
        }
        let flags_at = r.pos();
        let flags = r.u16("Flags")?;
        let size = r.u16("Size")? as usize;
        let actual_at = r.pos();
        let actual = r.u16("SizeActual")? as usize;
        if flags & RPC_EXT_COMPRESSED != 0 {
            return Err(r.malformed("rpc-ext-compressed", "Flags", flags_at));
        }
        if actual != size {
            return Err(r.malformed("rpc-ext-size-actual", "SizeActual", actual_at));
        }
        let payload = r.bytes("Payload", size)?;
        if flags & RPC_EXT_XOR_MAGIC != 0 {
            out.extend(payload.iter().map(|b| b ^ 0xA5));
        } else {
            out.extend_from_slice(payload);
        }
        if flags & RPC_EXT_LAST != 0 {
            break;
        }
        if r.remaining() == 0 {
            return Err(BinError::Incomplete {
                field: "RPC_HEADER_EXT",
                offset: r.pos(),
                needed: 8,
                available: 0,
            });
        }
    }
    if r.remaining() > 0 {
        return Err(r.malformed("rpc-ext-trailing-bytes", "RPC_HEADER_EXT", r.pos()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rop_buffer_round_trips() {
        let b = write_rop_buffer(&[0x01, 0x00, 0x00], &[7, 0xFFFF_FFFF]).unwrap();
        assert_eq!(&b[..2], &[5, 0]);
        let read = read_rop_buffer(&b).unwrap();
        assert_eq!(read.rops, &[0x01, 0x00, 0x00]);
        assert_eq!(read.handles, vec![7, 0xFFFF_FFFF]);
        assert!(read_rop_buffer(&b[..b.len() - 1]).is_err());
    }

    #[test]
    fn rpc_ext_undoes_xor_magic_and_refuses_compression() {
        for xor in [false, true] {
            let framed = write_rpc_ext(b"abc", xor).unwrap();
            assert_eq!(read_rpc_ext(&framed).unwrap(), b"abc");
        }
        let mut framed = write_rpc_ext(b"abc", false).unwrap();
        framed[2] |= RPC_EXT_COMPRESSED as u8;
        assert!(matches!(
            read_rpc_ext(&framed),
            Err(BinError::Malformed {
                rule: "rpc-ext-compressed",
                ..
            })
        ));
    }
}
