using SipRecorder.Sip.Sdp;

namespace SipRecorder.Sip.Tests.Sdp;

public class SdesCryptoTests
{
    [Fact]
    public void The_rfc_4568_example_line_parses_to_its_key_and_salt()
    {
        var crypto = SdesCrypto.TryParse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4");
        Assert.Null(crypto); // a key with an MKI: not supported, skipped rather than misread

        var plain = SdesCrypto.TryParse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20")!;
        Assert.Equal((1, "AES_CM_128_HMAC_SHA1_80"), (plain.Tag, plain.Suite));
        Assert.Equal(16, plain.MasterKey.Length);
        Assert.Equal(14, plain.MasterSalt.Length);
        Assert.Equal("crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", plain.ToAttribute());
    }

    [Theory]
    [InlineData("x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:short")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 uri:https://keys.example")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80")]
    public void A_line_we_cannot_use_is_skipped(string value) => Assert.Null(SdesCrypto.TryParse(value));

    [Fact]
    public void Fresh_keys_differ_and_survive_the_round_trip()
    {
        var one = SdesCrypto.Create(1, "AES_CM_128_HMAC_SHA1_80");
        var two = SdesCrypto.Create(1, "AES_CM_128_HMAC_SHA1_80");
        Assert.NotEqual(one.MasterKey, two.MasterKey);
        var back = SdesCrypto.TryParse(one.ToAttribute()["crypto:".Length..])!;
        Assert.Equal(one.MasterKey, back.MasterKey);
        Assert.Equal(one.MasterSalt, back.MasterSalt);
    }
}
