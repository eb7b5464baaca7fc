using Autotier.Domain.Secrets;
using Xunit;

namespace Autotier.UnitTests.Domain.Secrets;

/// <summary>tests/unit/domain/secrets.test.ts: ordinary text that mentions passwords, codes and numbers stays as typed.</summary>
public sealed class MaskSecretsOrdinaryTextTests
{
    [Theory]
    [InlineData("I forgot my password")]
    [InlineData("password reset please")]
    [InlineData("my password expired yesterday")]
    [InlineData("the password field is greyed out")]
    [InlineData("my password doesn't work since Monday")]
    [InlineData("My password expired!")]
    [InlineData("password for Windows 11 expired")]
    [InlineData("password Outlook keeps asking for")]
    [InlineData("the \"password\" field is empty")]
    [InlineData("Passwort abgelaufen, bitte zurücksetzen")]
    [InlineData("He olvidado mi contraseña")]
    [InlineData("Mot de passe oublié, je n'arrive plus à me connecter")]
    [InlineData("Wachtwoord vergeten")]
    [InlineData("can you pass this to tier 2")]
    [InlineData("reset my password via self-service")]
    [InlineData("password sent to anna@contoso.com")]
    [InlineData("error code 0x80070005")]
    [InlineData("error code 8007")]
    [InlineData("Fehlercode 0x80004005")]
    [InlineData("error 809")]
    [InlineData("VPN error 809 at 10:30")]
    [InlineData("ticket T-1042")]
    [InlineData("call me on +49 171 2345678 or 0171/2345678")]
    [InlineData("since 02.03.2026, also 2026-03-02")]
    [InlineData("Windows 11")]
    [InlineData("Office 2016 and Office365")]
    [InlineData("KB5034441 failed to install")]
    [InlineData("the QR code 1234 on the sticker")]
    [InlineData("zip code 90210")]
    [InlineData("PIN reset needed, my PIN is locked")]
    [InlineData("Pin 3 on the connector is bent")]
    [InlineData("code 12345678901 is too long to be a one-time code")]
    [InlineData("the code is 12-03-2026 on the letter")]
    public void Leaves_ordinary_text_alone(string text) => Assert.Equal(new MaskResult(text, 0), SecretMasking.Mask(text));
}
