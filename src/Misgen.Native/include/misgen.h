/*
 * misgen.h: the C ABI of libmisgen.so (Misgen compiled by .NET Native AOT). docs/C-ABI.md explains it.
 *
 * Every function but misgen_abi_version, misgen_last_error and misgen_free returns a status: MISGEN_OK (0)
 * or an error code; the message is then misgen_last_error() on the same thread. No exception or signal
 * crosses the boundary. Objects are int64 handles (0 = none); a freed or forged handle is MISGEN_BAD_STATE.
 * Strings are NUL-terminated UTF-8. Text and state the library returns are freed with misgen_free.
 */
#ifndef MISGEN_H
#define MISGEN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MISGEN_ABI_VERSION 1

enum misgen_status {
    MISGEN_OK = 0,
    MISGEN_BAD_INPUT = 1, /* unknown spec, wrong buffer size, missing agent: the message says what is valid */
    MISGEN_BAD_STATE = 2, /* out of order: step before reset, a freed handle */
    MISGEN_IO_ERROR = 3,  /* a file could not be read or written */
    MISGEN_INTERNAL = 4   /* a bug in Misgen, or memory ran out */
};

enum misgen_level_order {
    MISGEN_LEVELS_UNIFORM = 0,   /* procgen's: uniform draws from [start_level, start_level + num_levels) */
    MISGEN_LEVELS_SEQUENTIAL = 1 /* start_level, start_level + 1, ... wrapping after num_levels */
};

#define MISGEN_MAX_FACTS 8

/* One finished episode (48 bytes). outcome 0: no episode ended in this env at this step. */
typedef struct misgen_episode {
    int32_t outcome;    /* the game's outcome code, 1..255 (misgen_games lists them) */
    int32_t steps;      /* length of the episode */
    int32_t level_seed; /* the level it was played on */
    float episode_return;
    float facts[MISGEN_MAX_FACTS]; /* the game's per-episode facts, in the order misgen_games names them */
} misgen_episode;

int32_t misgen_abi_version(void);
const char *misgen_last_error(void); /* owned by the library; valid until the next failure on this thread */
void misgen_free(void *memory);
int32_t misgen_set_threads(int32_t threads); /* threads for stepping and forward passes (default: all cores) */
int32_t misgen_games(char **json, int64_t *length);                      /* the catalogue, as JSON */
int32_t misgen_spec_canonical(const char *spec, char **text, int64_t *length);

/* A VecEnv: num_envs games of one spec with procgen's auto-reset. num_levels 0 = every level (seed-ordered). */
int32_t misgen_vecenv_create(const char *spec, int32_t num_envs, int32_t start_level, int32_t num_levels,
                             uint64_t seed, int32_t level_order, int32_t observation_size, int64_t *env);
/* Each listed level once, in order; envs whose levels ran out go idle (misgen_vecenv_observe's active). */
int32_t misgen_vecenv_create_levels(const char *spec, int32_t num_envs, const int32_t *level_seeds,
                                    int32_t level_count, int32_t observation_size, int64_t *env);
int32_t misgen_vecenv_free(int64_t env);
int32_t misgen_vecenv_shape(int64_t env, int32_t *num_envs, int32_t *size, int32_t *channels, int32_t *actions);
int32_t misgen_vecenv_describe(int64_t env, char **json, int64_t *length);
/* observations: num_envs x size x size x channels uint8 (NHWC), exactly observation_bytes long; NULL skips. */
int32_t misgen_vecenv_reset(int64_t env, uint8_t *observations, int64_t observation_bytes);
/* Any output may be NULL; rewards, terminated, truncated and episodes hold num_envs entries. */
int32_t misgen_vecenv_step(int64_t env, const int32_t *actions, int32_t action_count,
                           uint8_t *observations, int64_t observation_bytes, float *rewards,
                           uint8_t *terminated, uint8_t *truncated, misgen_episode *episodes);
int32_t misgen_vecenv_observe(int64_t env, uint8_t *observations, int64_t observation_bytes, uint8_t *active);
/* The VecEnv's own buffers (observations NHWC, rewards, terminated, truncated), written by reset, step and
   set_state, valid until misgen_vecenv_free: read them instead of copying (pass NULL outputs to step). */
int32_t misgen_vecenv_buffers(int64_t env, uint8_t **observations, float **rewards, uint8_t **terminated,
                              uint8_t **truncated);
int32_t misgen_vecenv_get_state(int64_t env, uint8_t **state, int64_t *length);
int32_t misgen_vecenv_set_state(int64_t env, const uint8_t *state, int64_t length);

/* An agent directory (model.safetensors, optional agent.yaml). */
int32_t misgen_agent_load(const char *directory, int64_t *agent);
int32_t misgen_agent_free(int64_t agent);
int32_t misgen_agent_describe(int64_t agent, char **json, int64_t *length);
/* observations: batch x input_size x input_size x channels uint8; logits: batch x actions; values: batch. */
int32_t misgen_agent_forward(int64_t agent, const uint8_t *observations, int64_t observation_bytes, int32_t batch,
                             float *logits, float *values);
/* outputs[i]: batch x C x H x W floats for layers[i] (output_lengths[i] of them); logits and values may be NULL. */
int32_t misgen_agent_run_with_cache(int64_t agent, const uint8_t *observations, int64_t observation_bytes,
                                    int32_t batch, const char *const *layers, int32_t layer_count,
                                    float *const *outputs, const int64_t *output_lengths, float *logits,
                                    float *values);

/* A new agent: this agent's network with activation patches (docs/INTERP.md's text forms, one per line),
   bound for levels of spec; a patched agent's patches are kept and the new ones added. Free it like any agent. */
int32_t misgen_agent_patch(int64_t agent, const char *spec, const char *patches, int64_t *patched);
/* The vector field on one level (as `misgen field`), as JSON: grid size, groups, cells, probabilities. */
int32_t misgen_agent_vector_field(int64_t agent, const char *spec, int32_t level_seed, char **json, int64_t *length);

/* results.db as CSV text, the tables `misgen export` writes: table is "metrics" or "episodes". */
int32_t misgen_results_csv(const char *database, const char *table, char **text, int64_t *length);

#ifdef __cplusplus
}
#endif

#endif
