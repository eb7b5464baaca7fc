using Autotier.Domain.Secrets;
using Xunit;

namespace Autotier.UnitTests.Domain.Secrets;

/// <summary>
/// Edges of the patterns: quoting, labels, look-alikes, Unicode white space and digits, case.
/// Expected values came from the TS build's maskSecrets on the same text.
/// </summary>
public sealed class MaskSecretsParityTests
{
    [Theory]
    [InlineData("password: \"Summer 2024!\"", "password: [password removed]", 1)]
    [InlineData("Passwort: «Sommer 2024»", "Passwort: [password removed]", 1)]
    [InlineData("pass: abcd", "pass: abcd", 0)]
    [InlineData("pass: abc", "pass: abc", 0)]
    [InlineData("new pass Qwerty12", "new pass [password removed]", 1)]
    [InlineData("wifi pass: Guest2024", "wifi pass: [password removed]", 1)]
    [InlineData("password is now changed to Xy9#abcd.", "password is now changed to Xy9#abcd.", 0)]
    [InlineData("password:Hunter2$;", "password:[password removed];", 1)]
    [InlineData("password Welcome!", "password [password removed]", 1)]
    [InlineData("password welcome!", "password welcome!", 0)]
    [InlineData("password Microsoft365", "password Microsoft365", 0)]
    [InlineData("password sent to https://x.example/y", "password sent to https://x.example/y", 0)]
    [InlineData("password abc-123", "password abc-123", 0)]
    [InlineData("password KB5034441", "password KB5034441", 0)]
    [InlineData("password 12/03/2026", "password 12/03/2026", 0)]
    [InlineData("password: [password removed]", "password: [password removed]", 0)]
    [InlineData("code: [code removed]", "code: [code removed]", 0)]
    [InlineData("token 12345", "token [code removed]", 1)]
    [InlineData("error code: 123456", "error code: 123456", 0)]
    [InlineData("zip-code 12345", "zip-code 12345", 0)]
    [InlineData("the code 1234567890", "the code 1234567890", 0)]
    [InlineData("code 12 34", "code [code removed]", 1)]
    [InlineData("code 1234-5678-9012", "code 1234-5678-9012", 0)]
    [InlineData("code 12.34", "code 12.34", 0)]
    [InlineData("code 2026-03-02", "code 2026-03-02", 0)]
    [InlineData("SMS-Code 123456", "SMS-Code [code removed]", 1)]
    [InlineData("mfa code 654321", "mfa code [code removed]", 1)]
    [InlineData("Einmalcode: 998877", "Einmalcode: [code removed]", 1)]
    [InlineData("PIN: 1234.", "PIN: [code removed].", 1)]
    [InlineData("pin 12345678", "pin [code removed]", 1)]
    [InlineData("pin 123456789", "pin 123456789", 0)]
    [InlineData("code 123456/7", "code 123456/7", 0)]
    [InlineData("code 1234a", "code 1234a", 0)]
    [InlineData("password\u00a0Hunter2$", "password\u00a0[password removed]", 1)]
    [InlineData("password\u0085Hunter2$", "password\u0085Hunter2$", 0)]
    [InlineData("password: Hunter2$\u2028next", "password: [password removed]\u2028next", 1)]
    [InlineData("PASSWORD: HUNTER2$", "PASSWORD: [password removed]", 1)]
    [InlineData("KENNWORT IST Xk9#mmq2", "KENNWORT IST [password removed]", 1)]
    [InlineData("le mot de passe est Soleil2024!", "le mot de passe est [password removed]", 1)]
    [InlineData("mots de passe: Abc123!!", "mots de passe: [password removed]", 1)]
    [InlineData("pwd: 1234", "pwd: [password removed]", 1)]
    [InlineData("pw: ab", "pw: ab", 0)]
    [InlineData("contraseña es \"mi clave 1\"", "contraseña es [password removed]", 1)]
    [InlineData("password \ud835\udc00bc123", "password [password removed]", 1)]
    [InlineData("pin ١٢٣٤", "pin ١٢٣٤", 0)]
    [InlineData("code ١٢٣٤٥٦", "code ١٢٣٤٥٦", 0)]
    public void Matches_the_TypeScript(string typed, string shown, int masked) =>
        Assert.Equal(new MaskResult(shown, masked), SecretMasking.Mask(typed));

    [Fact]
    public void Is_idempotent()
    {
        foreach (var typed in new[] { "password: Hunter2$", "the code was 483920", "the password “correct horse battery” is rejected" })
        {
            var once = SecretMasking.Mask(typed).Text;
            Assert.Equal(new MaskResult(once, 0), SecretMasking.Mask(once));
        }
    }
}
