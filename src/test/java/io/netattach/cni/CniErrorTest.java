package io.netattach.cni;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CniErrorTest {

    @Test
    void writesSpecShape() {
        assertEquals("{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"bad\",\"details\":\"more\"}",
                new CniError(7, "bad", "more").toJson("1.0.0").toJson());
        assertEquals("{\"code\":4,\"msg\":\"m\"}", new CniError(4, "m").toJson(null).toJson());
    }

    @Test
    void readsErrorOfAnotherPlugin() {
        CniError e = CniError.fromJson(Json.parse("{\"code\":11,\"msg\":\"later\",\"details\":\"d\"}")).orElseThrow();
        assertEquals(new CniError(11, "later", "d"), e);
        assertEquals(true, CniError.fromJson(Json.parse("{\"msg\":\"x\"}")).isEmpty());
    }
}
