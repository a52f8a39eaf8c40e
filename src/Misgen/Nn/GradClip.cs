namespace Misgen.Nn;

/// <summary>Global gradient-norm clipping as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradClip
{
    /// <summary>Scales all gradients by maxNorm / (norm + 1e-6) when that is below 1; returns the norm before clipping.</summary>
    public static float ClipGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        double sum = 0;
        for (int k = 0; k < parameters.Count; k++) // indexed: a foreach over the interface would allocate
            foreach (float g in parameters[k].Grad) sum += (double)g * g;
        float norm = (float)Math.Sqrt(sum);
        float coefficient = maxNorm / (norm + 1e-6f);
        if (coefficient < 1)
            for (int k = 0; k < parameters.Count; k++)
            {
                var grad = parameters[k].Grad;
                for (int i = 0; i < grad.Length; i++) grad[i] *= coefficient;
            }
        return norm;
    }
}
