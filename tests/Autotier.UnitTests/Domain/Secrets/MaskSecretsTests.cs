using Autotier.Domain.Secrets;
using Xunit;

namespace Autotier.UnitTests.Domain.Secrets;

/// <summary>tests/unit/domain/secrets.test.ts: typed secrets, and the text that must come out.</summary>
public sealed class MaskSecretsTests
{
    [Theory]
    [InlineData("my new password Summer2024! doesn't work", "my new password [password removed] doesn't work")]
    [InlineData("password: Hunter2$", "password: [password removed]")]
    [InlineData("pw=abc123XYZ", "pw=[password removed]")]
    [InlineData("PW = ab12", "PW = [password removed]")]
    [InlineData("passwort ist Sommer2024!", "passwort ist [password removed]")]
    [InlineData("Mein Kennwort lautet Xk9#mmq2, bitte prüfen", "Mein Kennwort lautet [password removed], bitte prüfen")]
    [InlineData("contraseña: Verano2024.", "contraseña: [password removed].")]
    [InlineData("La contraseña es Verano#24", "La contraseña es [password removed]")]
    [InlineData("mot de passe : Azerty123!", "mot de passe : [password removed]")]
    [InlineData("Mon mot de passe est Soleil2024", "Mon mot de passe est [password removed]")]
    [InlineData("wachtwoord: Welkom01", "wachtwoord: [password removed]")]
    [InlineData("Mijn wachtwoord is nu Zomer2024!", "Mijn wachtwoord is nu [password removed]")]
    [InlineData("temp pass is Xy7#kk2", "temp pass is [password removed]")]
    [InlineData("I changed my password to Welcome!", "I changed my password to [password removed]")]
    [InlineData("Kennwort geändert auf Winter2025#", "Kennwort geändert auf [password removed]")]
    [InlineData("wachtwoord gewijzigd in Herfst#2025", "wachtwoord gewijzigd in [password removed]")]
    [InlineData("password 'S3cret!'", "password [password removed]")]
    [InlineData("the password \u201ccorrect horse battery\u201d is rejected", "the password [password removed] is rejected")]
    [InlineData("Password: P@ssw0rd (from the welcome mail)", "Password: [password removed] (from the welcome mail)")]
    [InlineData("the code was 483920", "the code was [code removed]")]
    [InlineData("verification code 123-456", "verification code [code removed]")]
    [InlineData("Verification code: 123 456.", "Verification code: [code removed].")]
    [InlineData("OTP: 908172", "OTP: [code removed]")]
    [InlineData("PIN 4821", "PIN [code removed]")]
    [InlineData("my PIN-Code is 482193, it keeps failing", "my PIN-Code is [code removed], it keeps failing")]
    [InlineData("Bestätigungscode 771204 kam zweimal", "Bestätigungscode [code removed] kam zweimal")]
    [InlineData("el código es 55 10 93", "el código es [code removed]")]
    [InlineData("TAN: 12345678", "TAN: [code removed]")]
    [InlineData("verificatiecode 839201", "verificatiecode [code removed]")]
    public void Masks_one_secret(string typed, string shown)
    {
        var result = SecretMasking.Mask(typed);

        Assert.Equal(shown, result.Text);
        Assert.Equal(1, result.Masked);
    }

    [Fact]
    public void Masks_every_secret_in_a_text_and_counts_them()
    {
        var result = SecretMasking.Mask("User: jdoe\nPassword: Hunter2$\nThe SMS code was 483920 and PIN 4821.");

        Assert.Equal("User: jdoe\nPassword: [password removed]\nThe SMS code was [code removed] and PIN [code removed].", result.Text);
        Assert.Equal(3, result.Masked);
    }
}
