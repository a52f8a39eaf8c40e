using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Misgen.Nn;

/// <summary>
/// Small single-threaded GEMM for the fully connected layers: C[m, j] += sum_k A[m, k] B[k, j],
/// A addressed with arbitrary row/column strides (so A can be a transposed view), B row-major
/// with a column count that is a multiple of 16. Micro-kernel: 4 rows x 64 columns in registers.
/// </summary>
internal static unsafe class Gemm
{
    public static void Accumulate(int rows, int cols, int depth, float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc)
    {
        if (!ConvKernels.Simd)
        {
            ReferenceKernels.Gemm(rows, cols, depth, a, aRow, aCol, b, ldb, c, ldc);
            return;
        }
        int tail = cols & 15;
        if (tail != 0)
        {
            cols -= tail;
            ReferenceKernels.Gemm(rows, tail, depth, a, aRow, aCol, b + cols, ldb, c + cols, ldc);
        }
        int j = 0;
        for (; j + 64 <= cols; j += 64)
        {
            int m = 0;
            for (; m + 4 <= rows; m += 4) Rows4Cols64(depth, a + m * aRow, aRow, aCol, b + j, ldb, c + m * ldc + j, ldc);
            for (; m < rows; m++)
                for (int jj = 0; jj < 64; jj += 16) Row1Cols16(depth, a + m * aRow, aCol, b + j + jj, ldb, c + m * ldc + j + jj);
        }
        for (; j < cols; j += 16)
            for (int m = 0; m < rows; m++) Row1Cols16(depth, a + m * aRow, aCol, b + j, ldb, c + m * ldc + j);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4Cols64(int depth, float* a, int aRow, int aCol, float* b, int ldb, float* c, int ldc)
    {
        Vector512<float> r00 = default, r01 = default, r02 = default, r03 = default;
        Vector512<float> r10 = default, r11 = default, r12 = default, r13 = default;
        Vector512<float> r20 = default, r21 = default, r22 = default, r23 = default;
        Vector512<float> r30 = default, r31 = default, r32 = default, r33 = default;
        for (int k = 0; k < depth; k++, a += aCol, b += ldb)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), b2 = Vector512.Load(b + 32), b3 = Vector512.Load(b + 48);
            Vector512<float> s = Vector512.Create(a[0]);
            r00 = Vector512.FusedMultiplyAdd(s, b0, r00); r01 = Vector512.FusedMultiplyAdd(s, b1, r01); r02 = Vector512.FusedMultiplyAdd(s, b2, r02); r03 = Vector512.FusedMultiplyAdd(s, b3, r03);
            s = Vector512.Create(a[aRow]);
            r10 = Vector512.FusedMultiplyAdd(s, b0, r10); r11 = Vector512.FusedMultiplyAdd(s, b1, r11); r12 = Vector512.FusedMultiplyAdd(s, b2, r12); r13 = Vector512.FusedMultiplyAdd(s, b3, r13);
            s = Vector512.Create(a[2 * aRow]);
            r20 = Vector512.FusedMultiplyAdd(s, b0, r20); r21 = Vector512.FusedMultiplyAdd(s, b1, r21); r22 = Vector512.FusedMultiplyAdd(s, b2, r22); r23 = Vector512.FusedMultiplyAdd(s, b3, r23);
            s = Vector512.Create(a[3 * aRow]);
            r30 = Vector512.FusedMultiplyAdd(s, b0, r30); r31 = Vector512.FusedMultiplyAdd(s, b1, r31); r32 = Vector512.FusedMultiplyAdd(s, b2, r32); r33 = Vector512.FusedMultiplyAdd(s, b3, r33);
        }
        Add(c, r00, r01, r02, r03);
        Add(c + ldc, r10, r11, r12, r13);
        Add(c + 2 * ldc, r20, r21, r22, r23);
        Add(c + 3 * ldc, r30, r31, r32, r33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        (Vector512.Load(c) + v0).Store(c);
        (Vector512.Load(c + 16) + v1).Store(c + 16);
        (Vector512.Load(c + 32) + v2).Store(c + 32);
        (Vector512.Load(c + 48) + v3).Store(c + 48);
    }

    /// <summary>
    /// C[m, j] += sum_k A[m, k] B[j, k] (both row-major along k): dot-product form, used for the fc
    /// layer's forward pass so it reads the same [hidden, flat] weight rows as the backward pass.
    /// Micro-kernel: 4 x 4 dot products held as 16 vector partial sums.
    /// </summary>
    public static void AccumulateTransposedB(int rows, int cols, int depth, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        if (!ConvKernels.Simd || (depth & 15) != 0)
        {
            for (int m = 0; m < rows; m++)
                for (int j = 0; j < cols; j++)
                {
                    float sum = 0;
                    for (int k = 0; k < depth; k++) sum += a[m * lda + k] * b[j * ldb + k];
                    c[m * ldc + j] += sum;
                }
            return;
        }
        int m0 = 0;
        for (; m0 + 4 <= rows; m0 += 4)
        {
            int j0 = 0;
            for (; j0 + 4 <= cols; j0 += 4) Dots4x4(depth, a + m0 * lda, lda, b + j0 * ldb, ldb, c + m0 * ldc + j0, ldc);
            for (; j0 < cols; j0++)
                for (int m = m0; m < m0 + 4; m++) c[m * ldc + j0] += Dot(depth, a + m * lda, b + j0 * ldb);
        }
        for (; m0 < rows; m0++)
            for (int j = 0; j < cols; j++) c[m0 * ldc + j] += Dot(depth, a + m0 * lda, b + j * ldb);
    }

    private static float Dot(int depth, float* a, float* b)
    {
        Vector512<float> s = default, t = default;
        int k = 0;
        for (; k + 32 <= depth; k += 32)
        {
            s = Vector512.FusedMultiplyAdd(Vector512.Load(a + k), Vector512.Load(b + k), s);
            t = Vector512.FusedMultiplyAdd(Vector512.Load(a + k + 16), Vector512.Load(b + k + 16), t);
        }
        for (; k < depth; k += 16) s = Vector512.FusedMultiplyAdd(Vector512.Load(a + k), Vector512.Load(b + k), s);
        return Vector512.Sum(s + t);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots4x4(int depth, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        Vector512<float> r00 = default, r01 = default, r02 = default, r03 = default, r10 = default, r11 = default, r12 = default, r13 = default, r20 = default, r21 = default, r22 = default, r23 = default, r30 = default, r31 = default, r32 = default, r33 = default;
        for (int k = 0; k < depth; k += 16)
        {
            Vector512<float> a0 = Vector512.Load(a + 0 * lda + k), a1 = Vector512.Load(a + 1 * lda + k), a2 = Vector512.Load(a + 2 * lda + k), a3 = Vector512.Load(a + 3 * lda + k);
            Vector512<float> b0 = Vector512.Load(b + 0 * ldb + k);
            r00 = Vector512.FusedMultiplyAdd(a0, b0, r00); r10 = Vector512.FusedMultiplyAdd(a1, b0, r10); r20 = Vector512.FusedMultiplyAdd(a2, b0, r20); r30 = Vector512.FusedMultiplyAdd(a3, b0, r30);
            Vector512<float> b1 = Vector512.Load(b + 1 * ldb + k);
            r01 = Vector512.FusedMultiplyAdd(a0, b1, r01); r11 = Vector512.FusedMultiplyAdd(a1, b1, r11); r21 = Vector512.FusedMultiplyAdd(a2, b1, r21); r31 = Vector512.FusedMultiplyAdd(a3, b1, r31);
            Vector512<float> b2 = Vector512.Load(b + 2 * ldb + k);
            r02 = Vector512.FusedMultiplyAdd(a0, b2, r02); r12 = Vector512.FusedMultiplyAdd(a1, b2, r12); r22 = Vector512.FusedMultiplyAdd(a2, b2, r22); r32 = Vector512.FusedMultiplyAdd(a3, b2, r32);
            Vector512<float> b3 = Vector512.Load(b + 3 * ldb + k);
            r03 = Vector512.FusedMultiplyAdd(a0, b3, r03); r13 = Vector512.FusedMultiplyAdd(a1, b3, r13); r23 = Vector512.FusedMultiplyAdd(a2, b3, r23); r33 = Vector512.FusedMultiplyAdd(a3, b3, r33);
        }
        c[0 * ldc + 0] += Vector512.Sum(r00); c[0 * ldc + 1] += Vector512.Sum(r01); c[0 * ldc + 2] += Vector512.Sum(r02); c[0 * ldc + 3] += Vector512.Sum(r03);
        c[1 * ldc + 0] += Vector512.Sum(r10); c[1 * ldc + 1] += Vector512.Sum(r11); c[1 * ldc + 2] += Vector512.Sum(r12); c[1 * ldc + 3] += Vector512.Sum(r13);
        c[2 * ldc + 0] += Vector512.Sum(r20); c[2 * ldc + 1] += Vector512.Sum(r21); c[2 * ldc + 2] += Vector512.Sum(r22); c[2 * ldc + 3] += Vector512.Sum(r23);
        c[3 * ldc + 0] += Vector512.Sum(r30); c[3 * ldc + 1] += Vector512.Sum(r31); c[3 * ldc + 2] += Vector512.Sum(r32); c[3 * ldc + 3] += Vector512.Sum(r33);
    }

    private static void Row1Cols16(int depth, float* a, int aCol, float* b, int ldb, float* c)
    {
        Vector512<float> r = default, s = default;
        int k = 0;
        for (; k + 2 <= depth; k += 2)
        {
            r = Vector512.FusedMultiplyAdd(Vector512.Create(a[k * aCol]), Vector512.Load(b + k * ldb), r);
            s = Vector512.FusedMultiplyAdd(Vector512.Create(a[(k + 1) * aCol]), Vector512.Load(b + (k + 1) * ldb), s);
        }
        for (; k < depth; k++) r = Vector512.FusedMultiplyAdd(Vector512.Create(a[k * aCol]), Vector512.Load(b + k * ldb), r);
        (Vector512.Load(c) + (r + s)).Store(c);
    }
}
