using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// How a peer proves it may talk to a broker. Over the private Unix socket (the default) it sends a
/// Hello carrying the broker's random secret, as pool workers do. Over TCP (a manager the user opted
/// to expose) both sides prove they know the authentication key by answering each other's random
/// challenge with an HMAC-SHA256 of it, as Python's <c>authkey</c>: the key itself never travels.
/// </summary>
internal static class BrokerAuthentication
{
    private const int ChallengeLength = 32;
    private const int MacLength = 32;
    private static readonly byte[] ClientLabel = Encoding.ASCII.GetBytes("Parallel.Gen broker client");
    private static readonly byte[] ServerLabel = Encoding.ASCII.GetBytes("Parallel.Gen broker server");

    /// <summary>Broker side, Unix: the peer's pid when it proved the secret, else -1.</summary>
    public static int AcceptUnix(FrameChannel channel, byte[] secret)
    {
        using ReceivedFrame? frame = channel.Receive();
        if (frame is not { Type: FrameType.Hello } || frame.Length > ProtocolConstants.MaxHelloLength)
        {
            return -1;
        }

        Hello hello = Hello.Read(frame.Body);
        if (!CryptographicOperations.FixedTimeEquals(hello.Secret, secret))
        {
            return -1;
        }

        Send(channel, FrameType.AuthResponse, default);
        return hello.ProcessId;
    }

    /// <summary>Client side, Unix: proves the secret; throws when the broker does not acknowledge.</summary>
    public static void ConnectUnix(FrameChannel channel, byte[] secret, string where)
    {
        using (var writer = new WireWriter())
        {
            writer.Advance(ProtocolConstants.HeaderLength);
            new Hello(secret, Environment.ProcessId, -1, "broker").Write(writer);
            channel.SendPrepared(writer.WrittenBuffer, FrameType.Hello);
        }

        using ReceivedFrame? ack = channel.Receive();
        if (ack is not { Type: FrameType.AuthResponse })
        {
            throw new IOException($"The broker at {where} refused this process's credentials: the handle is stale or was not issued by it.");
        }
    }

    /// <summary>
    /// Broker side, network (TCP or a keyed Unix socket): the peer's pid when it proved the key, else -1 (then the connection
    /// is dropped without a word). Reads exactly the one fixed-size answer it expects, with no thread held while waiting:
    /// <paramref name="cancellationToken"/> carries the deadline for the whole exchange.
    /// </summary>
    public static async Task<int> AcceptNetworkAsync(Socket socket, byte[] key, CancellationToken cancellationToken)
    {
        byte[] challenge = RandomNumberGenerator.GetBytes(ChallengeLength);
        byte[] opening = new byte[ProtocolConstants.HeaderLength + ChallengeLength];
        FrameHeader.Write(opening, FrameType.AuthChallenge, ChallengeLength);
        challenge.CopyTo(opening, ProtocolConstants.HeaderLength);
        await SendAllAsync(socket, opening, cancellationToken).ConfigureAwait(false);

        const int AnswerLength = MacLength + ChallengeLength + 4;
        byte[] answer = new byte[ProtocolConstants.HeaderLength + AnswerLength];
        for (int filled = 0; filled < answer.Length;)
        {
            int read = await socket.ReceiveAsync(answer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return -1;
            }

            filled += read;
            if (filled >= ProtocolConstants.HeaderLength
                && (BinaryPrimitives.ReadInt32LittleEndian(answer) != AnswerLength + 1 || answer[4] != (byte)FrameType.AuthResponse))
            {
                return -1;
            }
        }

        ReadOnlySpan<byte> body = answer.AsSpan(ProtocolConstants.HeaderLength);
        if (!CryptographicOperations.FixedTimeEquals(body[..MacLength], Mac(key, ClientLabel, challenge)))
        {
            return -1;
        }

        byte[] proof = Mac(key, ServerLabel, body.Slice(MacLength, ChallengeLength));
        byte[] reply = new byte[ProtocolConstants.HeaderLength + proof.Length];
        FrameHeader.Write(reply, FrameType.AuthResponse, proof.Length);
        proof.CopyTo(reply, ProtocolConstants.HeaderLength);
        int processId = BinaryPrimitives.ReadInt32LittleEndian(body[(MacLength + ChallengeLength)..]);
        await SendAllAsync(socket, reply, cancellationToken).ConfigureAwait(false);
        return processId;
    }

    /// <summary>Client side, TCP: answers the broker's challenge and checks the broker's answer to ours.</summary>
    public static void ConnectTcp(FrameChannel channel, byte[] key, string where)
    {
        byte[] challenge;
        using (ReceivedFrame? frame = channel.Receive())
        {
            if (frame is not { Type: FrameType.AuthChallenge } || frame.Length != ChallengeLength)
            {
                throw new IOException($"{where} is not a Parallel.Gen manager (it did not open with an authentication challenge).");
            }

            challenge = frame.Body.ToArray();
        }

        byte[] ours = RandomNumberGenerator.GetBytes(ChallengeLength);
        byte[] response = new byte[MacLength + ChallengeLength + 4];
        Mac(key, ClientLabel, challenge).CopyTo(response, 0);
        ours.CopyTo(response, MacLength);
        BinaryPrimitives.WriteInt32LittleEndian(response.AsSpan(MacLength + ChallengeLength), Environment.ProcessId);
        Send(channel, FrameType.AuthResponse, response);

        using ReceivedFrame? proof = channel.Receive();
        if (proof is null)
        {
            throw new AuthenticationException($"The manager at {where} refused the authentication key.");
        }

        if (proof.Type != FrameType.AuthResponse || !CryptographicOperations.FixedTimeEquals(proof.Body, Mac(key, ServerLabel, ours)))
        {
            throw new AuthenticationException($"The server at {where} could not prove it knows the authentication key: it is not the manager you meant to reach.");
        }
    }

    internal static void Send(FrameChannel channel, FrameType type, ReadOnlySpan<byte> body)
    {
        byte[] frame = new byte[ProtocolConstants.HeaderLength + body.Length];
        body.CopyTo(frame.AsSpan(ProtocolConstants.HeaderLength));
        channel.SendPrepared(frame, type);
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private static byte[] Mac(byte[] key, byte[] label, ReadOnlySpan<byte> challenge)
    {
        byte[] message = new byte[label.Length + challenge.Length];
        label.CopyTo(message, 0);
        challenge.CopyTo(message.AsSpan(label.Length));
        return HMACSHA256.HashData(key, message);
    }
}
