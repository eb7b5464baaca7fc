using Autotier.Cli;

return await AutotierCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
