package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TunExceptionTest {
    @Test
    void namesDeviceErrnoAndHint() {
        TunException e = TunException.of("cannot create TUN device wg-a", 1,
                TunException.setIffHint(1, TunMode.TUN));
        assertEquals("cannot create TUN device wg-a: Operation not permitted (EPERM): needs CAP_NET_ADMIN",
                e.getMessage());
        assertEquals(1, e.errno());
        assertEquals(Errno.EPERM, e.errnoName());
    }

    @Test
    void invalidArgumentHintMentionsTheOtherMode() {
        TunException e = TunException.of("cannot create TAP device wt0", 22, TunException.setIffHint(22, TunMode.TAP));
        assertEquals("cannot create TAP device wt0: Invalid argument (EINVAL): the name may belong to a"
                + " device that is not a TAP device, or the flags are not supported", e.getMessage());
    }

    @Test
    void unknownErrnoPrintsItsNumber() {
        TunException e = TunException.of("cannot read from TUN device wt0", 200, null);
        assertEquals("cannot read from TUN device wt0: errno 200", e.getMessage());
        assertNull(e.errnoName());
        assertNull(Errno.valueOf(-1));
        assertNull(Errno.valueOf(100_000));
    }

    @Test
    void errnoTableMatchesLinuxNumbers() {
        assertEquals(Errno.EBUSY, Errno.valueOf(16));
        assertEquals(Errno.EACCES, Errno.valueOf(13));
        assertEquals(Errno.ENOENT, Errno.valueOf(2));
        assertEquals(Errno.ENOMEM, Errno.valueOf(12));
        assertEquals(Errno.EAGAIN, Errno.valueOf(11));
        assertEquals("No such file or directory (ENOENT)", Errno.describe(2));
        assertEquals("is the tun module loaded (modprobe tun) and /dev/net/tun present?", TunException.openHint(2));
    }
}
