using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The checks after two phones talked through the relay, the caller playing 1700 Hz and the callee 700 Hz: each party
/// on its side of the recording, clear, and the caller's tone in what the callee's phone decrypted and played.
/// </summary>
internal static class TwoTonesHeard
{
    /// <param name="heardDirectory">Where the callee's baresip dumped what it heard (sndfile's *dec.wav).</param>
    /// <param name="how">The encryption under test, for the failure messages ("SRTP", "DTLS-SRTP").</param>
    public static void Check(string recording, string heardDirectory, string how)
    {
        var wav = StereoWav.Read(recording);
        Assert.True(wav.Power(wav.Left, 1700) > 10 * wav.Power(wav.Left, 700), $"the caller's {how} is not on the left, clear");
        Assert.True(wav.Power(wav.Right, 700) > 10 * wav.Power(wav.Right, 1700), $"the callee's {how} is not on the right, clear");
        var atCallee = StereoWav.Read(Directory.GetFiles(heardDirectory, "*dec.wav").Single());
        var tail = atCallee.Left.Skip(atCallee.SampleRate).ToArray(); // past the first second: the call's start
        Assert.True(atCallee.Power(tail, 1700) > 10 * atCallee.Power(tail, 700), $"the callee did not hear the caller through our {how}");
    }
}
