using Ferry.Data.Schema;

namespace Ferry.Learn.Torch.Mlp;

/// <summary>
/// What it takes to rebuild a trained MLP before its weights are loaded (<c>architecture.json</c>): layer sizes,
/// dropout, the task, and the target's standardisation for regression.
/// </summary>
/// <param name="Format">The file's layout version.</param>
/// <param name="Task">The task.</param>
/// <param name="Inputs">Features per row.</param>
/// <param name="Hidden">Units per hidden layer.</param>
/// <param name="Outputs">Classes, or 1 for regression.</param>
/// <param name="Dropout">The dropout rate after each hidden layer during training.</param>
/// <param name="TargetMean">The training target's mean (regression; 0 otherwise).</param>
/// <param name="TargetScale">The training target's standard deviation (regression; 1 otherwise).</param>
internal sealed record MlpArchitecture(int Format, TaskKind Task, int Inputs, int[] Hidden, int Outputs, double Dropout, double TargetMean, double TargetScale)
{
    /// <summary>The layout version this code writes and reads.</summary>
    public const int CurrentFormat = 1;
}
