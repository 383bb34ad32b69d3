package io.netattach.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Attributes decoded from a payload region: type (flags masked off) to payload slice. When a type
 * occurs twice, the last wins (rtnetlink never repeats the attributes read here).
 */
public final class Attributes {
    private final Map<Integer, ByteBuffer> byType;

    private Attributes(Map<Integer, ByteBuffer> byType) {
        this.byType = byType;
    }

    /** Parses attributes from {@code offset} to the end of {@code buffer}. */
    public static Attributes parse(ByteBuffer buffer, int offset) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
        Map<Integer, ByteBuffer> map = new LinkedHashMap<>();
        int pos = offset;
        while (pos + Nl.NLA_HDRLEN <= b.limit()) {
            int len = b.getShort(pos) & 0xffff;
            int type = b.getShort(pos + 2) & Nl.NLA_TYPE_MASK;
            if (len < Nl.NLA_HDRLEN || pos + len > b.limit()) {
                break; // malformed tail: stop, as the kernel's nla_for_each_attr does
            }
            map.put(type, b.slice(pos + Nl.NLA_HDRLEN, len - Nl.NLA_HDRLEN).order(ByteOrder.nativeOrder()));
            pos += Nl.align(len);
        }
        return new Attributes(map);
    }

    public boolean has(int type) {
        return byType.containsKey(type);
    }

    public Optional<ByteBuffer> get(int type) {
        return Optional.ofNullable(byType.get(type)).map(ByteBuffer::duplicate);
    }

    public Optional<Integer> u32(int type) {
        ByteBuffer b = byType.get(type);
        return b == null || b.limit() < 4 ? Optional.empty() : Optional.of(b.getInt(0));
    }

    public Optional<Integer> u16(int type) {
        ByteBuffer b = byType.get(type);
        return b == null || b.limit() < 2 ? Optional.empty() : Optional.of(b.getShort(0) & 0xffff);
    }

    public Optional<Integer> u8(int type) {
        ByteBuffer b = byType.get(type);
        return b == null || b.limit() < 1 ? Optional.empty() : Optional.of(b.get(0) & 0xff);
    }

    /** A string attribute without its trailing NUL. */
    public Optional<String> string(int type) {
        ByteBuffer b = byType.get(type);
        if (b == null) {
            return Optional.empty();
        }
        int end = 0;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        b.get(0, bytes);
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    public Optional<byte[]> bytes(int type) {
        ByteBuffer b = byType.get(type);
        if (b == null) {
            return Optional.empty();
        }
        byte[] bytes = new byte[b.limit()];
        b.get(0, bytes);
        return Optional.of(bytes);
    }

    public Optional<InetAddress> address(int type) {
        return bytes(type).filter(a -> a.length == 4 || a.length == 16).map(a -> {
            try {
                return InetAddress.getByAddress(a);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The nested attributes inside attribute {@code type}. */
    public Optional<Attributes> nested(int type) {
        ByteBuffer b = byType.get(type);
        return b == null ? Optional.empty() : Optional.of(parse(b, 0));
    }
}
