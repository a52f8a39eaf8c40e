"""PPO on misgen.make_vec in the style of CleanRL's ppo_procgen.py: one file, PyTorch, a few updates."""
import argparse, numpy as np, torch, torch.nn as nn
import misgen

p = argparse.ArgumentParser()
p.add_argument("--spec", default="maze:yellow-line@textured"); p.add_argument("--num-envs", type=int, default=64)
p.add_argument("--num-steps", type=int, default=256); p.add_argument("--updates", type=int, default=10)
p.add_argument("--threads", type=int, default=1); p.add_argument("--seed", type=int, default=0)
args = p.parse_args()
torch.manual_seed(args.seed); torch.set_num_threads(args.threads); misgen.set_threads(args.threads)
envs = misgen.make_vec(args.spec, num_envs=args.num_envs, num_levels=200, seed=args.seed)
n, (h, w, c), acts = args.num_envs, envs.single_observation_space.shape, envs.single_action_space.n
body = nn.Sequential(nn.Conv2d(c, 16, 8, 4), nn.ReLU(), nn.Conv2d(16, 32, 4, 2), nn.ReLU(), nn.Flatten())
feat = body(torch.zeros(1, c, h, w)).shape[1]
net = nn.ModuleDict({"body": body, "pi": nn.Linear(feat, acts), "v": nn.Linear(feat, 1)})
opt = torch.optim.Adam(net.parameters(), lr=5e-4, eps=1e-5)
def policy(obs):  # obs: uint8 NHWC numpy -> logits, value
    z = net["body"](torch.from_numpy(obs).permute(0, 3, 1, 2).float() / 255.0)
    return net["pi"](z), net["v"](z).squeeze(-1)
T = args.num_steps
obs_b = np.zeros((T, n, h, w, c), np.uint8); act_b = torch.zeros(T, n, dtype=torch.long)
logp_b, rew_b, done_b, val_b = (torch.zeros(T, n) for _ in range(4))
obs, _ = envs.reset(); returns = []
for update in range(1, args.updates + 1):
    for t in range(T):
        obs_b[t] = obs
        with torch.no_grad():
            logits, value = policy(obs)
        dist = torch.distributions.Categorical(logits=logits); action = dist.sample()
        act_b[t], logp_b[t], val_b[t] = action, dist.log_prob(action), value
        obs, reward, term, trunc, infos = envs.step(action.numpy())
        rew_b[t], done_b[t] = torch.from_numpy(reward), torch.from_numpy(term | trunc).float()
        if infos: returns += list(infos["episode"]["r"][infos["_episode"]])
    with torch.no_grad():
        adv, last, next_v = torch.zeros(T, n), torch.zeros(n), policy(obs)[1]
        for t in reversed(range(T)):  # GAE(0.999, 0.95); done_b[t] ends the episode of step t
            nv = next_v if t == T - 1 else val_b[t + 1]
            delta = rew_b[t] + 0.999 * nv * (1 - done_b[t]) - val_b[t]
            last = adv[t] = delta + 0.999 * 0.95 * (1 - done_b[t]) * last
        ret = adv + val_b
    b_obs, b_act, b_logp = obs_b.reshape(T * n, h, w, c), act_b.flatten(), logp_b.flatten()
    b_adv, b_ret = adv.flatten(), ret.flatten()
    for epoch in range(3):
        for idx in np.array_split(np.random.permutation(T * n), 8):
            logits, value = policy(b_obs[idx]); dist = torch.distributions.Categorical(logits=logits)
            ratio = (dist.log_prob(b_act[idx]) - b_logp[idx]).exp()
            a = (b_adv[idx] - b_adv[idx].mean()) / (b_adv[idx].std() + 1e-8)
            pg = torch.max(-a * ratio, -a * ratio.clamp(0.8, 1.2)).mean()
            loss = pg + 0.5 * ((value - b_ret[idx]) ** 2).mean() - 0.01 * dist.entropy().mean()
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(net.parameters(), 0.5); opt.step()
    mean = f"{np.mean(returns[-100:]):.2f}" if returns else "none yet"
    print(f"update {update}: loss {loss.item():.4f}, episodes {len(returns)}, mean return (last 100) {mean}")
