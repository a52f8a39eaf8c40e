namespace Misgen.Nn;

/// <summary>Scratch memory of one part of a pass (reused for every observation of the part).</summary>
internal sealed unsafe class PartWorkspace
{
    private readonly AlignedFloats memory;

    public PartWorkspace(ImpalaCnn model, int chunk)
    {
        long total = 0;
        long Take(long floats) { long at = total; total += (floats + 15) & ~15L; return at; }
        long input = Take(model.InputPlane.Floats);
        long slot = Take(model.SlotFloats);
        var conv = new long[3]; var relu = new long[3]; var t1 = new long[3]; var t2 = new long[3]; var dOut = new long[3]; var dConv = new long[3];
        for (int b = 0; b < 3; b++)
        {
            var block = model.Blocks[b];
            conv[b] = Take(block.Conv.Floats);
            dConv[b] = Take(block.Conv.Floats);
            relu[b] = Take(block.Pooled.Floats);
            t1[b] = Take(block.Pooled.Floats);
            t2[b] = Take(block.Pooled.Floats);
            dOut[b] = Take(block.Pooled.Floats);
        }
        long hs = model.HiddenStride;
        long flat = Take(chunk * (long)model.FlatFloats), dFlat = Take(chunk * (long)model.FlatFloats);
        long pre = Take(chunk * hs), hidden = Take(chunk * hs), dHidden = Take(chunk * hs);
        memory = new AlignedFloats(total);
        float* m = memory.Pointer;
        Input = m + input; Slot = m + slot;
        for (int b = 0; b < 3; b++)
        {
            Conv.Set(b, m + conv[b]); DConv.Set(b, m + dConv[b]); Relu.Set(b, m + relu[b]);
            T1.Set(b, m + t1[b]); T2.Set(b, m + t2[b]); DOut.Set(b, m + dOut[b]);
        }
        Flat = m + flat; DFlat = m + dFlat; PreActivation = m + pre; Hidden = m + hidden; DHidden = m + dHidden;
    }

    public float* Input, Slot, Flat, DFlat, PreActivation, Hidden, DHidden;
    public readonly PlaneSet Conv = new(), DConv = new(), Relu = new(), T1 = new(), T2 = new(), DOut = new();
}

/// <summary>One pointer per block (three planes of different geometry never share memory, so borders stay zero).</summary>
internal sealed unsafe class PlaneSet
{
    private readonly nint[] planes = new nint[3];
    public float* this[int block] => (float*)planes[block];
    public void Set(int block, float* plane) => planes[block] = (nint)plane;
}

/// <summary>What a training pass keeps per observation for the backward pass.</summary>
internal sealed unsafe class TrainingStore
{
    private readonly AlignedFloats slots;
    private readonly AlignedFloats preActivations;
    private readonly AlignedFloats argmax; // bytes, in float-sized storage so it can pass 2^31
    private readonly int slotFloats, argmaxBytes;

    public TrainingStore(ImpalaCnn model, int batch)
    {
        slotFloats = model.SlotFloats;
        argmaxBytes = model.SlotArgmax;
        slots = new AlignedFloats((long)batch * slotFloats);
        preActivations = new AlignedFloats((long)batch * model.HiddenStride);
        argmax = new AlignedFloats(((long)batch * argmaxBytes + 3) / 4);
        Observations = GC.AllocateArray<byte>(batch * model.ObservationBytes, pinned: true);
    }

    public byte[] Observations { get; }
    public float* PreActivation => preActivations.Pointer;
    public float* Slot(int i) => slots.Pointer + (long)i * slotFloats;
    public byte* Argmax(int i) => (byte*)argmax.Pointer + (long)i * argmaxBytes;
}
